using Microsoft.Net.Http.Headers;

namespace Shop.Api.Errors;

/// <summary>
/// Refuses, with 415, a request whose Content-Type names a charset other than UTF-8, before anything reads the body.
/// JSON is UTF-8 (RFC 8259); without this an unknown charset ("charset=bogus") made the JSON reader throw an
/// unexpected exception, a 500 that echoed the exception text. A Content-Type without a charset is UTF-8; an accepted
/// charset is rewritten to the plain 'utf-8' the JSON reader understands.
/// </summary>
internal static class Utf8BodyMiddleware
{
    public static IApplicationBuilder UseUtf8Bodies(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.ContentType is { } contentType
                && MediaTypeHeaderValue.TryParse(contentType, out var media)
                && media.Charset.HasValue)
            {
                if (!IsUtf8(media.Charset.Value!.Trim('"')))
                {
                    throw new BadHttpRequestException("Request bodies must be UTF-8: send 'charset=utf-8' or no charset.",
                        StatusCodes.Status415UnsupportedMediaType);
                }
                // The JSON reader looks the charset up verbatim: '"UTF-8"' (quoted, valid HTTP) or 'utf8' would throw there.
                media.Charset = "utf-8";
                context.Request.ContentType = media.ToString();
            }
            return next(context);
        });

    private static bool IsUtf8(string charset) =>
        charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
}
