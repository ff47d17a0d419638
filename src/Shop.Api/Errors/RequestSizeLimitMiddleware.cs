using Microsoft.AspNetCore.Http.Features;

namespace Shop.Api.Errors;

/// <summary>
/// Refuses bodies over <c>Api:MaxRequestBodyBytes</c> with 413 before anything reads them. Kestrel enforces
/// the same limit on chunked bodies through <see cref="IHttpMaxRequestBodySizeFeature"/>; declared lengths
/// are checked here so the answer is the same under every server, the test host included.
/// </summary>
internal static class RequestSizeLimitMiddleware
{
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = maxBytes;
            if (context.Request.ContentLength > maxBytes)
                throw new BadHttpRequestException($"The body is larger than {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            await next(context);
        });
}
