namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The write-behind Lua scripts, kept as embedded <c>Lua/*.lua</c> files (each documents its keys, arguments and
/// result). Each touches the keys of one shard only, so each runs in one Redis Cluster slot. StackExchange.Redis sends
/// them with EVALSHA once the server knows them.
/// </summary>
internal static class PageViewScripts
{
    public static readonly string Record = Load("record.lua");
    public static readonly string Read = Load("read.lua");
    public static readonly string Claim = Load("claim.lua");
    public static readonly string Finish = Load("finish.lua");
    public static readonly string Release = Load("release.lua");

    private static string Load(string name)
    {
        using var stream = typeof(PageViewScripts).Assembly.GetManifestResourceStream("PageViews." + name)
            ?? throw new InvalidOperationException($"Embedded script PageViews.{name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
