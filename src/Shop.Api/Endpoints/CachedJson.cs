using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;

namespace Shop.Api.Endpoints;

/// <summary>
/// 200 with a response object as JSON, like <see cref="TypedResults.Ok{TValue}(TValue)"/> (same bytes, same content type,
/// same OpenAPI metadata), but an object that L1 answered is serialized once, not on every hit: an L1 hit hands out the
/// very object L1 holds, so its UTF-8 bytes are remembered beside it, keyed by that object's identity
/// (<see cref="ConditionalWeakTable{TKey, TValue}"/>). Guarantees: the bytes are exactly what serializing the object
/// gives (the objects are immutable records); when L1 replaces or drops an object, its bytes go with it, so there is
/// nothing to invalidate and nothing that outgrows L1. Objects from Redis or PostgreSQL are new on every request:
/// they are serialized and not remembered. Either way the body is written with its Content-Length, in one write.
/// </summary>
internal sealed class CachedJson<T>(T value) : IResult, IEndpointMetadataProvider
    where T : class
{
    private const string ContentType = "application/json; charset=utf-8";

    private static readonly ConditionalWeakTable<T, byte[]> Serialized = [];

    public T Value => value;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var services = httpContext.RequestServices;
        var typeInfo = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.GetTypeInfo(typeof(T));
        byte[]? bytes;
        if (services.GetService<CacheTrace>()?.Outcome != CacheOutcome.L1)
        {
            // Serialized in one piece, then written with its length: for a page this small, cheaper than the
            // asynchronous serializer writing into the response stream.
            bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        }
        else if (!Serialized.TryGetValue(value, out bytes))
        {
            bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
            Serialized.TryAdd(value, bytes); // a concurrent hit may have added the same bytes first
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, 0, bytes.Length);
    }

    /// <summary>The metadata <see cref="Ok{TValue}"/> gives: a 200 of <typeparamref name="T"/> as application/json.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Populate<Ok<T>>(method, builder);

    private static void Populate<TResult>(MethodInfo method, EndpointBuilder builder)
        where TResult : IEndpointMetadataProvider => TResult.PopulateMetadata(method, builder);
}
