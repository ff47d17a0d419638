using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Observability;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching.FailSafe;

/// <summary>An entry that does not decode (garbage, another serializer's) is a miss: answered from PostgreSQL, replaced, counted.</summary>
public sealed class DecodeFailureTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static async Task<long> DecodeFailuresDuring(ShopApiFactory instance, Func<Task> action)
    {
        var meter = instance.Services.GetRequiredService<ShopMetrics>().Meter;
        long count = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == ShopMetricNames.DecodeFailures) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref count, value));
        listener.Start();
        await action();
        return Interlocked.Read(ref count);
    }

    [Theory]
    [InlineData(711, "garbage")]
    [InlineData(712, "other-serializer")]
    public async Task An_undecodable_entry_is_a_miss_answered_from_PostgreSQL_and_replaced(int id, string kind)
    {
        var client = app.Anonymous();
        var physical = app.Api.Services.GetRequiredService<RedisKeyspace>().Key(CacheKeys.Product(id));
        var name = await app.ScalarAsync<string>($"SELECT name FROM products WHERE id = {id}");
        byte[] bad;
        if (kind == "garbage")
        {
            bad = "\u0001not a cache entry at all"u8.ToArray();
        }
        else
        {
            // A real entry, as if MessagePack had written it (serializer id byte 21): a rolling serializer change.
            await client.GetOk($"/api/products/{id}");
            byte[]? stored = null;
            for (var i = 0; i < 50 && stored is null; i++)
            {
                stored = await app.Redis.StringGetAsync(physical); // the fill is off the response's path
                if (stored is null) await Task.Delay(20, TestContext.Current.CancellationToken);
            }
            bad = stored!;
            Assert.Equal((byte)'J', bad[20]);
            bad[20] = (byte)'M';
        }
        await app.Redis.StringSetAsync(physical, bad, TimeSpan.FromMinutes(5));
        app.Api.Services.GetRequiredService<L1Cache>().Clear();

        HttpResponseMessage? response = null;
        var failures = await DecodeFailuresDuring(app.Api, async () => response = await client.GetOk($"/api/products/{id}"));

        Assert.Equal("MISS", response!.CacheHeader());
        Assert.Equal(name, (await response!.ShouldBe(HttpStatusCode.OK)).Text("name"));
        Assert.Equal(1, failures);
        byte[]? replaced = null;
        for (var i = 0; i < 50; i++)
        {
            replaced = await app.Redis.StringGetAsync(physical);
            if (replaced is not null && !replaced.SequenceEqual(bad)) break;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.NotNull(replaced);
        Assert.Equal((byte)'J', replaced[20]); // refilled by this serializer
        app.Api.Services.GetRequiredService<L1Cache>().Clear();
        Assert.Equal("L2", (await client.GetOk($"/api/products/{id}")).CacheHeader());
    }
}
