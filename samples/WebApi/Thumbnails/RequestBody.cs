using Microsoft.AspNetCore.Http.Features;

namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary>
/// Reads an upload into a pooled <see cref="OwnedBuffer{T}"/> without ever holding more than the limit: a declared Content-Length over the
/// limit is refused before a byte is read, and a body without one (chunked) is cut off as soon as it passes the limit.
/// </summary>
internal static class RequestBody
{
    private const int InitialChunkedBufferSize = 64 * 1024;

    /// <summary>The upload, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<OwnedBuffer<byte>?> ReadAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return null; // refused unread
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes; // the server's own guard too (it answers 413 through BadHttpRequestException)
        }

        // Only a multipart upload is a form here: curl --data-binary @photo.jpg sends the raw image as application/x-www-form-urlencoded.
        if (request.ContentType is { } contentType && contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadFirstFormFileAsync(request, maxBytes, cancellationToken);
        }

        return request.ContentLength is long declared
            ? await ReadExactlyAsync(request.Body, (int)declared, cancellationToken)
            : await ReadUpToAsync(request.Body, maxBytes, cancellationToken);
    }

    private static async Task<OwnedBuffer<byte>?> ReadFirstFormFileAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        IFormCollection form = await request.ReadFormAsync(cancellationToken);
        IFormFile? file = form.Files.Count > 0 ? form.Files[0] : null;
        if (file is null)
        {
            return OwnedBuffer<byte>.Rent(0); // no file: the pipeline reports an empty input
        }

        if (file.Length > maxBytes)
        {
            return null;
        }

        await using Stream stream = file.OpenReadStream();
        return await ReadExactlyAsync(stream, (int)file.Length, cancellationToken);
    }

    private static async Task<OwnedBuffer<byte>> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        OwnedBuffer<byte> buffer = OwnedBuffer<byte>.Rent(length);
        try
        {
            await body.ReadExactlyAsync(buffer.Memory, cancellationToken);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static async Task<OwnedBuffer<byte>?> ReadUpToAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        int capacity = (int)Math.Min(InitialChunkedBufferSize, maxBytes + 1);
        OwnedBuffer<byte> buffer = OwnedBuffer<byte>.Rent(capacity);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        buffer.Dispose();
                        return null; // one byte past the limit is enough to know
                    }

                    OwnedBuffer<byte> larger = OwnedBuffer<byte>.Rent((int)Math.Min((long)length * 2, maxBytes + 1));
                    buffer.Span[..length].CopyTo(larger.Span);
                    buffer.Dispose();
                    buffer = larger;
                }

                int read = await body.ReadAsync(buffer.Memory[length..], cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > maxBytes)
            {
                buffer.Dispose();
                return null;
            }

            OwnedBuffer<byte> exact = OwnedBuffer<byte>.Rent(length);
            buffer.Span[..length].CopyTo(exact.Span);
            buffer.Dispose();
            return exact;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
