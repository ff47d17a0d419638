using Shop.Infrastructure.PageViews;

namespace Shop.IntegrationTests.PageViews;

/// <summary>The write-behind's dedup table stays bounded: applied batch ids older than the retention are deleted.</summary>
public sealed class PageViewPruneTests(PageViewApp app) : IClassFixture<PageViewApp>
{
    [Fact]
    public async Task Applied_batch_ids_older_than_BatchRetention_are_pruned_and_younger_ones_kept()
    {
        // The dedup table grows by one row per applied batch; the flusher deletes rows past the retention, on
        // PostgreSQL's clock (applied_at is its now()). A day's retention here, so the rows can be backdated.
        var (old, young) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        Assert.Equal(2, await app.ScalarAsync<long>($"""
            WITH added AS (
                INSERT INTO applied_view_batches (batch_id, applied_at)
                VALUES ('{old}', now() - interval '25 hours'), ('{young}', now() - interval '23 hours')
                RETURNING 1)
            SELECT count(*) FROM added
            """));
        Task<long> Kept(Guid id) => app.ScalarAsync<long>($"SELECT count(*) FROM applied_view_batches WHERE batch_id = '{id}'");

        // An instance that prunes every 200 ms (disposed with the fixture). This class has a fixture of its own: an
        // instance flushing every 200 ms beside other tests would flush the views they count.
        app.StartInstance(new Dictionary<string, string?>
        {
            ["PageViews:BatchRetention"] = "1.00:00:00",
            ["PageViews:MaxBatchAge"] = "20:00:00",
            ["PageViews:PruneInterval"] = "00:00:00.200",
            ["PageViews:FlushInterval"] = "00:00:00.200",
        });

        await Eventually.TrueAsync(async () => await Kept(old) == 0, "the id applied 25 hours ago was pruned");
        Assert.Equal(1, await Kept(young)); // 23 hours: within the retention
        Assert.Equal(TimeSpan.FromDays(7), new PageViewOptions().BatchRetention);
    }
}
