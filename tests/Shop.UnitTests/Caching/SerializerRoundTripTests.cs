using System.Text.Json;
using Mediator;
using Shop.Application.Caching;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.Common;
using Shop.Application.Products;
using Shop.Application.Products.GetProductPricing;
using Shop.Application.Users;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Caching.Serialization;

namespace Shop.UnitTests.Caching;

/// <summary>Every cached DTO must survive both serializers exactly (decimals' scale, offsets, ticks included).</summary>
public sealed class SerializerRoundTripTests
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2026, 11, 26, 10, 15, 30, TimeSpan.FromHours(2)).AddTicks(1234567);

    /// <summary>One realistic sample per cached type; a cacheable query with a type missing here fails the coverage test.</summary>
    private static readonly Dictionary<Type, object> Samples = new()
    {
        [typeof(ProductPageDto)] = new ProductPageDto(42, "SKU-000042", "Compact Chair 42", "Ünïcödé \"quoted\" description", 20.50m, "EUR", 3, "Category 003", new RatingDto(3.58m, 12), When),
        [typeof(ProductPricingDto)] = new ProductPricingDto(42, 999999.99m, "GBP", When),
        [typeof(PagedList<ProductSummaryDto>)] = new PagedList<ProductSummaryDto>(
            [new ProductSummaryDto(1, "SKU-1", "A", 1.10m, "EUR", When), new ProductSummaryDto(2, "SKU-2", "B", 2m, "USD", When.ToUniversalTime())], 2, 20, 41),
        [typeof(UserProfileDto)] = new UserProfileDto(7, "User 7", "user7@shop.example", "enterprise", 12),
        [typeof(UserPreferencesDto)] = new UserPreferencesDto(7, "USD", "en-GB", true, 3),
    };

    public static TheoryData<string> SerializerNames => ["Json", "MessagePack", "MessagePackLz4"];

    [Fact]
    public void Every_cached_response_type_has_a_sample()
    {
        var cached = CachedTypes().ToArray();
        Assert.NotEmpty(cached);
        Assert.All(cached, t => Assert.True(Samples.ContainsKey(t), $"{t.Name} is cached but has no round-trip sample"));
    }

    [Theory]
    [MemberData(nameof(SerializerNames))]
    public void Every_cached_type_round_trips_exactly(string name)
    {
        var serializer = Create(name);
        foreach (var type in CachedTypes())
        {
            var sample = Samples[type];
            var method = typeof(SerializerRoundTripTests).GetMethod(nameof(RoundTrip), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type);
            var copy = method.Invoke(null, [serializer, sample]);
            Assert.Equal(Canonical(sample), Canonical(copy!));
        }
    }

    [Theory]
    [MemberData(nameof(SerializerNames))]
    public void The_envelope_keeps_absent_and_the_version(string name)
    {
        var serializer = Create(name);
        var absent = CacheEnvelope.Decode<UserProfileDto>(serializer, CacheEnvelope.Encode<UserProfileDto>(serializer, null, 0));
        var found = CacheEnvelope.Decode<UserProfileDto>(serializer, CacheEnvelope.Encode(serializer, (UserProfileDto)Samples[typeof(UserProfileDto)], 17));
        Assert.Null(absent.Value);
        Assert.Equal(Samples[typeof(UserProfileDto)], found.Value);
        Assert.Equal(17, found.Version);
    }

    private static T RoundTrip<T>(ICacheSerializer serializer, T value)
        where T : class =>
        CacheEnvelope.Decode<T>(serializer, CacheEnvelope.Encode(serializer, value, 3)).Value!;

    private static ICacheSerializer Create(string name) => name switch
    {
        "Json" => new JsonCacheSerializer(),
        "MessagePack" => new MessagePackCacheSerializer(),
        _ => new MessagePackCacheSerializer(lz4: true),
    };

    /// <summary>Records with lists compare by reference, so compare a canonical rendering that keeps every digit and offset.</summary>
    private static string Canonical(object value) => JsonSerializer.Serialize(value, value.GetType());

    private static IEnumerable<Type> CachedTypes()
    {
        var types = typeof(ICacheableQuery).Assembly.GetTypes();
        foreach (var query in types.Where(t => typeof(ICacheableQuery).IsAssignableFrom(t) && t.IsClass))
        {
            yield return query.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IQuery<>)).GetGenericArguments()[0];
        }
        foreach (var batch in types.Where(t => t.IsClass))
        {
            foreach (var i in batch.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICacheableBatchQuery<>)))
                yield return i.GetGenericArguments()[0];
        }
    }
}
