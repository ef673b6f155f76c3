namespace Iqts.Api.Data;

/// <summary>
/// What a conditional write expects of the stored version (from an <c>If-Match</c> header): any version, or one of
/// these. Checked by the repository against the row it has locked, so a stale write is refused inside the transaction.
/// </summary>
public readonly record struct VersionCheck(IReadOnlyList<long>? Versions, bool Never = false)
{
    public static readonly VersionCheck Any = new(null);

    /// <summary>An If-Match that names no version this API issued: nothing matches it.</summary>
    public static readonly VersionCheck None = new([], Never: true);

    public bool Allows(long rowVersion) => !Never && (Versions is null || Versions.Contains(rowVersion));
}
