namespace Shop.Application.Caching;

/// <summary>
/// A logical cache key such as <c>{product:42}</c>. Infrastructure prepends the configured prefix and the
/// scheme version (<c>shop:v1:</c>) to make the physical Redis key. <see cref="EntryType"/> selects the TTL;
/// <see cref="Resource"/> and <see cref="Id"/> rebuild the 404 for a cached "absent" entry. <see cref="Group"/> is no longer
/// set by any key (listings moved to a version in the key, see <see cref="CacheKeys.CategoryPage"/>); it stays until the
/// group plumbing in L1 and the fill script is removed.
/// </summary>
public readonly record struct CacheKey(string Value, string EntryType, string Resource, int Id, string? Group = null)
{
    public override string ToString() => Value;
}
