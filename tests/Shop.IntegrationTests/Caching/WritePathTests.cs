using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Caching;

/// <summary>
/// The write path on two instances: explicit invalidation, write-through, pub/sub L1 invalidation, the two classic
/// races (made deterministic with <see cref="DatabaseGate"/>), recovery after a lost subscription, failed writes.
/// </summary>
public sealed class WritePathTests(ShopApp app, ITestOutputHelper output) : IClassFixture<ShopApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Price_change_on_A_reaches_Bs_L1_on_every_one_of_1000_changes()
    {
        var b = app.StartInstance();
        var lags = new List<TimeSpan>();
        b.Services.GetRequiredService<InvalidationSubscriber>().Received += lag => { lock (lags) lags.Add(lag); };
        var admin = app.AsAdmin();
        var reader = app.Anonymous(b);
        var l1 = b.Services.GetRequiredService<L1Cache>();
        var key = "{product:601}"; // L1 holds logical keys

        for (var i = 1; i <= 1000; i++)
        {
            await reader.GetOk("/api/products/601");                       // B holds the old price in L1
            Assert.True(l1.Contains(key));
            var price = 100m + i / 100m;
            await admin.Put("/api/products/601/price", new { price }).ShouldBe(HttpStatusCode.OK);
            for (var spin = 0; l1.Contains(key); spin++)                     // the message drops it from B's L1
            {
                Assert.True(spin < 2000, $"change {i} did not reach B's L1 within 2 s");
                await Task.Delay(1, Ct);
            }
            var page = await reader.GetOk("/api/products/601");
            Assert.NotEqual("L1", page.CacheHeader());
            Assert.Equal(price, (await page.ShouldBe(HttpStatusCode.OK)).Amount("price"));
        }

        var sorted = lags.OrderBy(l => l).ToArray();
        // Every change reached B (the loop above). Delivery is at least once: a publish that timed out on the client
        // after Redis had sent it is retried, so a loaded machine can see a few more messages than changes.
        Assert.InRange(sorted.Length, 1000, 1010);
        var report = $"pub/sub L1 invalidation lag over {sorted.Length} changes: p50 {Ms(sorted, 0.50):F3} ms, p99 {Ms(sorted, 0.99):F3} ms, max {sorted[^1].TotalMilliseconds:F3} ms";
        output.WriteLine(report);
        TestResults.Write("invalidation-propagation.txt", report);
    }

    [Fact]
    public async Task Price_change_invalidates_page_pricing_batch_and_category_listing_in_one_round_trip()
    {
        var client = app.Anonymous();
        var listing = "/api/categories/2/products?page=1&pageSize=50"; // category 2 holds products 2, 52, 102, …
        await client.GetOk("/api/products/602");
        await client.GetOk("/api/products/602/pricing");
        await client.GetOk(listing);
        await client.GetOk("/api/products?ids=602,603");
        await FlushAsync(app.Api);
        var log = new RedisCommandLog(app.Api);

        log.Start();
        await app.AsAdmin().Put("/api/products/602/price", new { price = 7.77m }).ShouldBe(HttpStatusCode.OK);
        var commands = log.Stop();

        output.WriteLine(string.Join(", ", commands));
        Assert.Equal(["DEL", "EVAL", "PUBLISH"], commands.Select(c => c switch { "EVALSHA" => "EVAL", "UNLINK" => "DEL", _ => c }).Order().ToArray());
        Assert.Equal(7.77m, (await (await client.GetOk("/api/products/602")).ShouldBe(HttpStatusCode.OK)).Amount("price"));
        Assert.Equal(7.77m, (await (await client.GetOk("/api/products/602/pricing")).ShouldBe(HttpStatusCode.OK)).Amount("price"));
        var page = await (await client.GetOk(listing)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(7.77m, page.GetProperty("items").EnumerateArray().Single(p => p.Number("id") == 602).Amount("price"));
        var batch = await (await client.GetOk("/api/products?ids=602,603")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(7.77m, batch.EnumerateArray().First().Amount("price"));
    }

    [Fact]
    public async Task Plan_change_is_written_through_so_the_next_read_on_either_instance_is_a_hit_with_the_new_plan()
    {
        var b = app.StartInstance();
        await app.AsUser(31).GetOk("/api/users/31");
        await app.AsUser(31, b).GetOk("/api/users/31");

        await app.AsAdmin().Put("/api/users/31/plan", new { plan = "enterprise" }).ShouldBe(HttpStatusCode.OK);

        var onA = await app.AsUser(31).GetOk("/api/users/31");
        var onB = await WaitForAsync(() => app.AsUser(31, b).GetOk("/api/users/31"), r => r.CacheHeader() != "L1" || PlanOf(r) == "enterprise");
        Assert.Equal("L1", onA.CacheHeader());
        Assert.Equal("L2", onB.CacheHeader());
        Assert.Equal("enterprise", PlanOf(onA));
        Assert.Equal("enterprise", PlanOf(onB));
        Assert.Equal("enterprise", (await ReadCachedAsync("{user:31}:profile")).GetProperty("plan").GetString());

        await app.AsUser(32).Put("/api/users/32/preferences", new { currency = "GBP", language = "en-GB", marketingEmails = true }).ShouldBe(HttpStatusCode.OK);
        var prefs = await app.AsUser(32, b).GetOk("/api/users/32/preferences");
        Assert.Equal("L2", prefs.CacheHeader());
        Assert.Equal("GBP", (await prefs.ShouldBe(HttpStatusCode.OK)).Text("currency"));
    }

    [Fact]
    public async Task Race_a_read_of_the_old_row_that_finishes_after_a_write_through_cannot_store_the_old_value()
    {
        var gate = new DatabaseGate("FROM users");
        var a = app.StartInstance(gate: gate);
        var b = app.StartInstance();

        gate.ArmNextRead();
        var staleRead = app.AsUser(33, a).Get("/api/users/33");          // cold: loads from PostgreSQL…
        await gate.Reached;                                             // …and has read the old row
        await app.AsAdmin(b).Put("/api/users/33/plan", new { plan = "pro" }).ShouldBe(HttpStatusCode.OK);
        gate.Release();
        await (await staleRead).ShouldBe(HttpStatusCode.OK);            // it answers with what it read: fine
        await FlushAsync(a);                                            // its (refused) fill has been processed

        Assert.Equal("pro", (await ReadCachedAsync("{user:33}:profile")).GetProperty("plan").GetString());
        Assert.Equal("pro", PlanOf(await app.AsUser(33, a).GetOk("/api/users/33")));
        Assert.Equal("pro", PlanOf(await app.AsUser(33, b).GetOk("/api/users/33")));
    }

    [Fact]
    public async Task Race_two_concurrent_writers_cannot_leave_Redis_holding_the_older_value()
    {
        var gate = new DatabaseGate();
        var a = app.StartInstance(gate: gate);
        var b = app.StartInstance();
        await app.AsUser(34).GetOk("/api/users/34");                    // cached at version 1

        gate.ArmNextSave();
        var first = app.AsAdmin(a).Put("/api/users/34/plan", new { plan = "pro" });        // commits version 2, then pauses
        await gate.Reached;
        await app.AsAdmin(b).Put("/api/users/34/plan", new { plan = "enterprise" }).ShouldBe(HttpStatusCode.OK); // version 3, cached
        gate.Release();                                                 // the older writer now writes through: refused
        await (await first).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("enterprise", await app.ScalarAsync<string>("SELECT plan FROM users WHERE id = 34") is { } p ? p.ToLowerInvariant() : null);
        var cached = await ReadCachedAsync("{user:34}:profile");
        Assert.Equal("enterprise", cached.GetProperty("plan").GetString());
        Assert.Equal(3, cached.GetProperty("version").GetInt64());
        foreach (var instance in new[] { app.Api, a, b })
            Assert.Equal("enterprise", PlanOf(await app.AsUser(34, instance).GetOk("/api/users/34")));
    }

    [Fact]
    public async Task Race_a_read_of_the_old_price_that_finishes_after_the_invalidation_cannot_store_it()
    {
        var gate = new DatabaseGate("FROM products");
        var a = app.StartInstance(gate: gate);

        gate.ArmNextRead();
        var staleRead = app.Anonymous(a).Get("/api/products/604");
        await gate.Reached;
        await app.AsAdmin().Put("/api/products/604/price", new { price = 4.04m }).ShouldBe(HttpStatusCode.OK);
        gate.Release();
        await (await staleRead).ShouldBe(HttpStatusCode.OK);
        await FlushAsync(a);

        Assert.False(await app.Redis.KeyExistsAsync($"{app.KeyPrefix}:v1:{{product:604}}"), "the stale fill must have been refused");
        Assert.Equal(4.04m, (await (await app.Anonymous(a).GetOk("/api/products/604")).ShouldBe(HttpStatusCode.OK)).Amount("price"));
    }

    [Fact]
    public async Task A_failed_database_write_leaves_the_cache_untouched()
    {
        var gate = new DatabaseGate();
        var a = app.StartInstance(gate: gate);
        await app.AsUser(35, a).GetOk("/api/users/35");
        await app.Anonymous(a).GetOk("/api/products/605");
        await FlushAsync(a);
        var profileBefore = (byte[]?)await app.Redis.StringGetAsync($"{app.KeyPrefix}:v1:{{user:35}}:profile");
        var productBefore = (byte[]?)await app.Redis.StringGetAsync($"{app.KeyPrefix}:v1:{{product:605}}");
        var log = new RedisCommandLog(a);
        log.Start();

        gate.FailNextSave();
        await app.AsAdmin(a).Put("/api/users/35/plan", new { plan = "enterprise" }).ShouldBeProblem(HttpStatusCode.InternalServerError);
        gate.FailNextSave();
        await app.AsAdmin(a).Put("/api/products/605/price", new { price = 5.05m }).ShouldBeProblem(HttpStatusCode.InternalServerError);

        Assert.Empty(log.Stop());                                        // no DEL, no SET, no PUBLISH
        Assert.Equal(profileBefore, (byte[]?)await app.Redis.StringGetAsync($"{app.KeyPrefix}:v1:{{user:35}}:profile"));
        Assert.Equal(productBefore, (byte[]?)await app.Redis.StringGetAsync($"{app.KeyPrefix}:v1:{{product:605}}"));
        Assert.Equal("L1", (await app.AsUser(35, a).GetOk("/api/users/35")).CacheHeader());
    }

    [Fact]
    public async Task After_its_subscription_is_killed_an_instance_serves_no_stale_value_once_it_reconnects()
    {
        var b = app.StartInstance();
        var busB = b.Services.GetRequiredService<InvalidationSubscriber>();
        await app.Anonymous(b).GetOk("/api/products/606");               // old price in B's L1

        // On a cluster the subscription lives on one of the nodes: look on each.
        var killed = 0;
        foreach (var endpoint in app.Services.RedisConnection.GetEndPoints())
        {
            var server = app.Services.RedisConnection.GetServer(endpoint);
            foreach (var client in (await server.ClientListAsync()).Where(c => c.Name == $"shop-{busB.InstanceId}" && c.SubscriptionCount > 0))
                killed += (int)await server.ClientKillAsync(client.Id, ClientType.PubSub, skipMe: false);
        }
        Assert.True(killed > 0, "B's subscription connection was not found");
        await WaitForAsync(() => Task.FromResult(busB.Subscribed), s => !s);   // B noticed: L1 cleared and bypassed

        await app.AsAdmin().Put("/api/products/606/price", new { price = 6.06m }).ShouldBe(HttpStatusCode.OK); // B misses this message

        await WaitForAsync(() => Task.FromResult(busB.Subscribed), s => s);    // resubscribed
        var page = await app.Anonymous(b).GetOk("/api/products/606");
        Assert.Equal(6.06m, (await page.ShouldBe(HttpStatusCode.OK)).Amount("price"));
    }

    [Fact]
    public async Task With_keyspace_notifications_a_DEL_from_outside_the_app_drops_the_key_from_L1()
    {
        var b = app.StartInstance(new Dictionary<string, string?> { ["Cache:KeyspaceNotifications"] = "true" });
        var l1 = b.Services.GetRequiredService<L1Cache>();
        var logical = "{product:607}";
        var key = $"{app.KeyPrefix}:v1:{logical}";
        // The subscription is set up in the background; prove it is live with a first DEL.
        await WaitForAsync(async () =>
        {
            await app.Anonymous(b).GetOk("/api/products/607");
            await FlushAsync(b);
            await app.Redis.KeyDeleteAsync(key);
            await Task.Delay(20, Ct);
            return l1.Contains(logical);
        }, inL1 => !inL1);

        // In L1 again (a late event of the DEL above, or a fill refused by a concurrent invalidation, can take it
        // out once; reading again puts it back).
        await WaitForAsync(async () =>
        {
            await app.Anonymous(b).GetOk("/api/products/607");
            await FlushAsync(b);
            return l1.Contains(logical);
        }, inL1 => inL1);
        await app.Redis.KeyDeleteAsync(key);                            // as redis-cli DEL would
        await WaitForAsync(() => Task.FromResult(l1.Contains(logical)), inL1 => !inL1);
        Assert.NotEqual("L1", (await app.Anonymous(b).GetOk("/api/products/607")).CacheHeader());
    }

    private static string? PlanOf(HttpResponseMessage response) =>
        JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("plan").GetString();

    /// <summary>Decodes a cached entry straight from Redis (20-byte header, then JSON).</summary>
    private async Task<JsonElement> ReadCachedAsync(string logicalKey)
    {
        var raw = (byte[]?)await app.Redis.StringGetAsync($"{app.KeyPrefix}:v1:{logicalKey}");
        Assert.NotNull(raw);
        Assert.Equal((byte)'1', raw[0]);
        var json = JsonDocument.Parse(Encoding.UTF8.GetString(raw, CacheEnvelope.HeaderLength, raw.Length - CacheEnvelope.HeaderLength)).RootElement.Clone();
        Assert.Equal(long.Parse(Encoding.ASCII.GetString(raw, 1, 19), System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("version").GetInt64());
        return json;
    }

    /// <summary>Redis answers one connection's commands in order: once a PING returns, every earlier fire-and-forget write has landed.</summary>
    private static Task<TimeSpan> FlushAsync(ShopApiFactory instance) => instance.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync();

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var i = 0; i < 500; i++)
        {
            var value = await read();
            if (done(value)) return value;
            await Task.Delay(10, Ct);
        }
        Assert.Fail("condition not met within 5 s");
        return default!;
    }

    private static double Ms(TimeSpan[] sorted, double quantile) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(quantile * sorted.Length) - 1)].TotalMilliseconds;
}
