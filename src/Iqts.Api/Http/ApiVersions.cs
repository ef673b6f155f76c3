using Asp.Versioning;
using Asp.Versioning.Builder;

namespace Iqts.Api.Http;

/// <summary>
/// <c>Versioning:V1:*</c>: when version 1 is deprecated and when it will be switched off, announced on every v1 response
/// as RFC 9745 <c>Deprecation</c> and RFC 8594 <c>Sunset</c> headers with a <c>Link</c> to the policy. Unset by default.
/// </summary>
public sealed class VersionPolicyOptions
{
    public DateTimeOffset? DeprecatedOn { get; set; }

    public DateTimeOffset? SunsetOn { get; set; }

    /// <summary>A page that says what replaces the version and when.</summary>
    public Uri? PolicyLink { get; set; }
}

/// <summary>API versioning through Asp.Versioning: the version is the URL segment (<c>/api/v1</c>), and every versioned response reports <c>api-supported-versions</c>.</summary>
public static class ApiVersions
{
    public static readonly ApiVersion V1 = new(1);

    public const string SupportedHeader = "api-supported-versions";

    /// <summary>
    /// <c>api-supported-versions</c> on every response under <c>/api</c>, including the ones no versioned endpoint wrote
    /// (401, 429, an unknown route): Asp.Versioning reports versions only where a versioned endpoint runs.
    /// </summary>
    public static IApplicationBuilder UseSupportedVersionsHeader(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.TryAdd(SupportedHeader, V1.ToString());
                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    public static IServiceCollection AddIqtsVersioning(this IServiceCollection services, IConfiguration configuration)
    {
        var v1 = configuration.GetSection("Versioning:V1").Get<VersionPolicyOptions>() ?? new VersionPolicyOptions();
        services.AddApiVersioning(options =>
        {
            options.DefaultApiVersion = V1;
            options.ReportApiVersions = true;
            options.ApiVersionReader = new PathVersionReader();
            if (v1.DeprecatedOn is { } deprecated)
            {
                var policy = options.Policies.Deprecate(V1).Effective(deprecated);
                if (v1.PolicyLink is { } link)
                {
                    policy.Link(link).Title("Version policy").Type("text/html");
                }
            }

            if (v1.SunsetOn is { } sunset)
            {
                var policy = options.Policies.Sunset(V1).Effective(sunset);
                if (v1.PolicyLink is { } link)
                {
                    policy.Link(link).Title("Version policy").Type("text/html");
                }
            }
        }).AddApiExplorer(options =>
        {
            options.GroupNameFormat = "'v'V";
            options.SubstituteApiVersionInUrl = true;
        });
        return services;
    }

    /// <summary>
    /// The route group of one API version: <c>/api/v1</c> as a literal, every route in it needing a token. Not the
    /// template <c>/api/v{version:apiVersion}</c>: with a version parameter in the routes, Asp.Versioning builds a
    /// template matcher for each candidate route on every request to find the version in the path, a tenth of a
    /// request's CPU (README, Performance); <see cref="PathVersionReader"/> reads it from the path instead.
    /// </summary>
    public static RouteGroupBuilder MapVersion(this IEndpointRouteBuilder app, ApiVersion version)
    {
        ApiVersionSet versions = app.NewApiVersionSet().HasApiVersion(version).ReportApiVersions().Build();
        return app.MapGroup($"/api/v{version.MajorVersion}").WithApiVersionSet(versions).MapToApiVersion(version).RequireAuthorization();
    }

    /// <summary>The version a request asks for: the segment after <c>/api/</c>, <c>v1</c> read as 1.</summary>
    private sealed class PathVersionReader : IApiVersionReader
    {
        public IReadOnlyList<string> Read(HttpRequest request) =>
            request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase, out var rest)
            && rest.Value is ['/', 'v' or 'V', .. var tail] && tail.Split('/', 2)[0] is { Length: > 0 } version
                ? [version]
                : [];

        /// <summary>Nothing to describe: the version is part of each route's literal path.</summary>
        public void AddParameters(IApiVersionParameterDescriptionContext context)
        {
        }
    }
}
