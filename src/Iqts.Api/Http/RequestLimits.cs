using Microsoft.AspNetCore.Http.Features;

namespace Iqts.Api.Http;

public static class RequestLimits
{
    /// <summary>
    /// 256 KiB: a trainee record is under 4 KiB, so this leaves room for any single
    /// resource while refusing abuse early. Documented in the README.
    /// </summary>
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// Answers 413 before reading a body whose declared length is over the limit, and caps
    /// streamed (chunked) bodies at the same size through the server's own limit.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        await next(context);
    });
}
