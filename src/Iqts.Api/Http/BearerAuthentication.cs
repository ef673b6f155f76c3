using System.Security.Claims;
using Iqts.Api.Tokens;
using Microsoft.AspNetCore.Authentication;

namespace Iqts.Api.Http;

/// <summary>The three callers of DESIGN.md, as authorisation policies.</summary>
public static class Roles
{
    public const string Provider = "provider";
    public const string Tra = "tra";
    public const string Dfe = "dfe";

    /// <summary>A DfE-approved iQTS inspectorate (seed 003), bound to one inspectorate.</summary>
    public const string Inspectorate = "inspectorate";
}

public static class IqtsClaims
{
    public const string Ukprn = "iqts:ukprn";
    public const string TokenId = "iqts:token_id";
    public const string TokenName = "iqts:token_name";
    public const string Inspectorate = "iqts:inspectorate";

    /// <summary>The UKPRN of a provider token; every provider-scoped query filters by it.</summary>
    public static string ProviderUkprn(this ClaimsPrincipal user) =>
        user.FindFirstValue(Ukprn) ?? throw new InvalidOperationException("Provider endpoint reached without a provider token.");

    public static Guid TokenIdOf(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(TokenId)!);

    /// <summary>The inspectorate of an inspectorate token; null for any other.</summary>
    public static Guid? InspectorateOf(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(Inspectorate), out var id) ? id : null;
}

/// <summary>
/// Opaque bearer tokens: the presented token is hashed with SHA-256 and found in <see cref="TokenCache"/> (a database
/// lookup only the first time an instance sees it); an expired token is refused at its expiry instant, a revoked one
/// within a second. A refused credential counts against the client's address (<see cref="AddressLimits"/>).
/// A plain <see cref="IAuthenticationHandler"/>, made for each request: the framework's <c>AuthenticationHandler</c>
/// base asks the logger factory for a logger in its constructor, which takes the factory's lock on every request.
/// </summary>
public sealed class BearerTokenHandler(TokenCache tokens, AddressLimits addresses) : IAuthenticationHandler
{
    public const string SchemeName = "Bearer";

    private HttpContext _context = null!;
    private Task<AuthenticateResult>? _result;
    private ApiError? _failure;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    /// <summary>Once a request: the authentication middleware and the authorisation policy may both ask.</summary>
    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= AuthenticateOnceAsync();

    private async Task<AuthenticateResult> AuthenticateOnceAsync()
    {
        string? header = _context.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(ApiErrors.TokenNotBearer());
        }

        var token = await tokens.FindActiveAsync(header["Bearer ".Length..].Trim(), _context.RequestAborted);
        if (token is null)
        {
            return Fail(ApiErrors.TokenUnknown());
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Role, token.Role),
            new(IqtsClaims.TokenId, token.Id.ToString()),
            new(IqtsClaims.TokenName, token.Name),
        };
        if (token.Ukprn is not null)
        {
            claims.Add(new Claim(IqtsClaims.Ukprn, token.Ukprn));
        }

        if (token.InspectorateId is { } inspectorate)
        {
            claims.Add(new Claim(IqtsClaims.Inspectorate, inspectorate.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private AuthenticateResult Fail(ApiError error)
    {
        addresses.CredentialRefused(_context);
        _failure = error;
        return AuthenticateResult.Fail(error.Detail!);
    }

    public Task ChallengeAsync(AuthenticationProperties? properties)
    {
        _context.Response.Headers.WWWAuthenticate = _failure is null
            ? "Bearer realm=\"iqts\""
            : "Bearer realm=\"iqts\", error=\"invalid_token\"";
        return (_failure ?? ApiErrors.MissingToken()).WriteAsync(_context);
    }

    public Task ForbidAsync(AuthenticationProperties? properties) =>
        ApiErrors.Forbidden(_context.User.FindFirstValue(ClaimTypes.Role)).WriteAsync(_context);
}
