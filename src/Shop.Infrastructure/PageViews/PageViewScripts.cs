using Shop.Infrastructure.Caching;

namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The write-behind Lua scripts, kept as embedded <c>Lua/*.lua</c> files (each documents its keys, arguments and
/// result) and read by <see cref="EmbeddedLua"/>. Each touches the keys of one shard only, so each runs in one Redis
/// Cluster slot. StackExchange.Redis sends them with EVALSHA once the server knows them.
/// </summary>
internal static class PageViewScripts
{
    public static readonly string Record = EmbeddedLua.Load("PageViews.record.lua");
    public static readonly string Read = EmbeddedLua.Load("PageViews.read.lua");
    public static readonly string Claim = EmbeddedLua.Load("PageViews.claim.lua");
    public static readonly string Finish = EmbeddedLua.Load("PageViews.finish.lua");
    public static readonly string Park = EmbeddedLua.Load("PageViews.park.lua");
    public static readonly string Release = EmbeddedLua.Load("PageViews.release.lua");
}
