namespace Iqts.Api.Data;

/// <summary>A stored record with a version, the one its ETag names.</summary>
public interface IVersioned
{
    long RowVersion { get; }
}

/// <summary>
/// What a conditional write expects of the stored version (from an <c>If-Match</c> header): any version, or one of
/// these. The operation checks it against the row its transaction has locked, so a stale write is refused inside it.
/// </summary>
public readonly record struct VersionCheck(IReadOnlyList<long>? Versions, bool Never = false)
{
    public static readonly VersionCheck Any = new(null);

    /// <summary>An If-Match that names no version this API issued: nothing matches it.</summary>
    public static readonly VersionCheck None = new([], Never: true);

    public bool Allows(long rowVersion) => !Never && (Versions is null || Versions.Contains(rowVersion));

    /// <summary>
    /// The record a conditional write changes, as its transaction read and locked it: not found when there is none
    /// (<paramref name="resource"/> names it), refused when <c>If-Match</c> names another version.
    /// </summary>
    public Outcome<T> Check<T>(T? current, string resource)
        where T : class, IVersioned =>
        current is null ? ApiErrors.NotFound(resource) : !Allows(current.RowVersion) ? ApiErrors.PreconditionFailed() : current;
}
