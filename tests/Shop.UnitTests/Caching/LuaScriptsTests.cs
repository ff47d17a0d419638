using Shop.Infrastructure.Caching;

namespace Shop.UnitTests.Caching;

public sealed class LuaScriptsTests
{
    [Theory]
    [InlineData("Caching.get-or-lock.lua", "'NX'")]
    [InlineData("Caching.release-lock.lua", "'DEL'")]
    [InlineData("Caching.set-if-lease-held.lua", "':ver'")]
    [InlineData("Caching.compare-and-set.lua", "string.sub")]
    [InlineData("Caching.move-version.lua", "math.max")]
    [InlineData("PageViews.record.lua", "HINCRBY")]
    public void Every_script_is_embedded_and_loaded_by_the_one_loader(string name, string expected) =>
        Assert.Contains(expected, EmbeddedLua.Load(name), StringComparison.Ordinal);

    [Fact]
    public void A_missing_script_fails_loudly() =>
        Assert.Throws<InvalidOperationException>(() => EmbeddedLua.Load("Caching.nope.lua"));
}
