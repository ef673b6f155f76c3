using System.Security.Claims;

namespace Iqts.Api.Http;

/// <summary>
/// Who is calling, bound once per handler with <c>[AsParameters]</c>: the token's provider (for a provider token), the
/// actor a change's history names, and the request's <c>If-Match</c>. Not part of the contract: it reads only what the
/// authentication handler put on the request.
/// </summary>
public readonly record struct Caller(HttpContext Http)
{
    public ClaimsPrincipal User => Http.User;

    /// <summary>The UKPRN of a provider token; every provider-scoped query filters by it.</summary>
    public string Ukprn => User.ProviderUkprn();

    /// <summary>A provider token's UKPRN, or null for a token that reads every provider's records (the TRA's, DfE's).</summary>
    public string? ProviderScope => User.IsInRole(Roles.Provider) ? Ukprn : null;

    /// <summary>Whether the token may read <paramref name="ukprn"/>'s records: a provider token its own only, DfE's and the TRA's any.</summary>
    public bool MayRead(string ukprn) => ProviderScope is null || ProviderScope == ukprn;

    /// <summary>The token's role: provider, tra, dfe or inspectorate.</summary>
    public string Role => User.FindFirstValue(ClaimTypes.Role) ?? "";

    /// <summary>The inspectorate of an inspectorate token; null for any other.</summary>
    public Guid? InspectorateId => User.InspectorateOf();

    /// <summary>Who a write is recorded against in the history: the token's id and name, and the SRS user its request named.</summary>
    public Actor Actor => new(User.TokenIdOf(), User.FindFirstValue(IqtsClaims.TokenName) ?? "", SrsUserHeader.Of(Http));

    public VersionCheck IfMatch => ETags.IfMatch(Http.Request);

    public HttpResponse Response => Http.Response;
}

/// <summary>
/// An id from the path. Parsing never fails: text that is not a GUID becomes an id that names nothing (no row has the
/// empty GUID), so it answers 404 exactly as an unknown id, or another provider's, does. The contract shows it as a string.
/// </summary>
public readonly record struct PathId(Guid Value)
{
    public static bool TryParse(string? text, out PathId id)
    {
        id = new PathId(Guid.TryParse(text, out var value) ? value : Guid.Empty);
        return true;
    }

    public static implicit operator Guid(PathId id) => id.Value;

    public override string ToString() => Value.ToString();
}
