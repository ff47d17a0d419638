namespace Shop.Infrastructure.Caching;

/// <summary>
/// Reads the Lua scripts compiled into this assembly (<c>Caching/Lua/*.lua</c> as <c>Caching.name.lua</c>,
/// <c>PageViews/Lua/*.lua</c> as <c>PageViews.name.lua</c>); every script, cache or page view, is loaded here.
/// Callers keep the text in a static field and pass it to <c>ScriptEvaluateAsync</c>: StackExchange.Redis sends
/// EVALSHA once the server knows the script, and on Redis Cluster to the node that owns the keys' slot.
/// </summary>
internal static class EmbeddedLua
{
    public static string Load(string resourceName)
    {
        using var stream = typeof(EmbeddedLua).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded script {resourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
