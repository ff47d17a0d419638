using Microsoft.AspNetCore.Http.Features;

namespace Shop.Api.Errors;

/// <summary>
/// Refuses bodies over <c>Api:MaxRequestBodyBytes</c> with 413. Declared lengths are refused before anything
/// reads them. Bodies without a declared length (chunked) are limited while they are read: by the server through
/// <see cref="IHttpMaxRequestBodySizeFeature"/> where it offers one (Kestrel), otherwise by counting here
/// (the test host has no such feature), so the answer is the same under every server.
/// </summary>
internal static class RequestSizeLimitMiddleware
{
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use((context, next) =>
        {
            if (context.Request.ContentLength > maxBytes) throw TooLarge(maxBytes);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = maxBytes;
            else if (context.Request.ContentLength is null)
                context.Request.Body = new LimitedStream(context.Request.Body, maxBytes);
            return next(context); // not awaited here: no state machine per request (a throw above still reaches the exception handler)
        });

    private static BadHttpRequestException TooLarge(long maxBytes) =>
        new($"The body is larger than {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>Reads through to the request body and throws 413 as soon as more than the limit has been read.</summary>
    private sealed class LimitedStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        private int Count(int read)
        {
            _read += read;
            if (_read > maxBytes) throw TooLarge(maxBytes);
            return read;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
