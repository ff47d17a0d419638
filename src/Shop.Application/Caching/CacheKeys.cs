using System.Globalization;

namespace Shop.Application.Caching;

/// <summary>
/// Every cache key is built here and nowhere else. The part in braces is a Redis Cluster hash tag: keys that
/// share it live in one slot, so a user's profile and preferences can be read with one MGET, and a key's lock
/// and its value can be handled by one Lua script. Ids are validated integers, so no key can be injected.
/// </summary>
public static class CacheKeys
{
    public static class EntryTypes
    {
        public const string Product = "product";
        public const string Pricing = "pricing";
        public const string CategoryPage = "category-page";
        public const string Profile = "profile";
        public const string Preferences = "preferences";
    }

    public static CacheKey Product(int id) => new($"{{product:{I(id)}}}", EntryTypes.Product, "Product", id);

    public static CacheKey Pricing(int productId) => new($"{{product:{I(productId)}}}:pricing", EntryTypes.Pricing, "Product", productId);

    /// <summary>
    /// One page of a category's listing, under the category's current version (<see cref="CategoryVersion"/>):
    /// <c>{category:3}:v17:products:p1:s20</c>. Moving the version on makes every page of the category unreachable at
    /// once (O(1), whatever was cached); the old pages expire with their TTL.
    /// </summary>
    public static CacheKey CategoryPage(int categoryId, long version, int page, int pageSize) =>
        new($"{{category:{I(categoryId)}}}:v{version.ToString(CultureInfo.InvariantCulture)}:products:p{I(page)}:s{I(pageSize)}",
            EntryTypes.CategoryPage, "Category", categoryId);

    /// <summary>The version counter of a category's listing pages (same hash tag as the pages).</summary>
    public static string CategoryVersion(int categoryId) => $"{{category:{I(categoryId)}}}:ver";

    /// <summary>Everything a change to one product makes stale: its page, its pricing, its category's listing pages.</summary>
    public static CacheInvalidation ProductChanged(int productId, int categoryId) =>
        new([Product(productId), Pricing(productId)], [CategoryVersion(categoryId)]);

    public static CacheKey Profile(int userId) => new($"{{user:{I(userId)}}}:profile", EntryTypes.Profile, "User", userId);

    public static CacheKey Preferences(int userId) => new($"{{user:{I(userId)}}}:preferences", EntryTypes.Preferences, "User", userId);

    /// <summary>
    /// Write-behind page-view counters are sharded by product id into a fixed number of hash tags (<c>{pv:0}</c> …
    /// <c>{pv:15}</c>): each shard's keys (pending deltas, in-flight batches, lease) share one Redis Cluster slot, so
    /// every page-view script touches one slot, while the shards spread over the nodes. Changing the count strands the
    /// views pending under the old layout, so it is a constant.
    /// </summary>
    public const int PageViewShards = 16;

    public static int PageViewShard(int productId) => (int)((uint)productId % PageViewShards);

    public static string PageViewShardTag(int shard) => $"{{pv:{I(shard)}}}";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A logical cache key such as <c>{product:42}</c>. Infrastructure prepends the configured prefix and the
/// scheme version (<c>shop:v1:</c>) to make the physical Redis key. <see cref="EntryType"/> selects the TTL;
/// <see cref="Resource"/> and <see cref="Id"/> rebuild the 404 for a cached "absent" entry. Keys that go stale together
/// (a category's listing pages) carry a version in the key instead of being listed anywhere: see <see cref="CacheKeys.CategoryPage"/>.
/// </summary>
public readonly record struct CacheKey(string Value, string EntryType, string Resource, int Id)
{
    public override string ToString() => Value;
}
