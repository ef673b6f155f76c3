using Microsoft.AspNetCore.Http.Features;

namespace Iqts.Api.Http;

public static class RequestLimits
{
    /// <summary>
    /// 256 KiB: a trainee record is under 4 KiB, so this leaves room for any single
    /// resource while refusing abuse early. Documented in the README.
    /// </summary>
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>The body limit of the request's endpoint: 256 KiB unless it says otherwise (a batch, <see cref="BodyLimitAttribute"/>).</summary>
    public static long For(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<BodyLimitAttribute>()?.Bytes ?? MaxBodyBytes;

    /// <summary>
    /// Answers 413 before reading a body whose declared length is over the limit, and caps
    /// streamed (chunked) bodies at the same size through the server's own limit.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var max = For(context);
        if (context.Request.ContentLength > max)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        await next(context);
    });
}

/// <summary>An endpoint that takes a larger body than <see cref="RequestLimits.MaxBodyBytes"/> (a batch of registrations).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BodyLimitAttribute(long bytes) : Attribute
{
    public long Bytes { get; } = bytes;
}
