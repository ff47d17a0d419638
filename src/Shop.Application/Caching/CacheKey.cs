namespace Shop.Application.Caching;

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
