namespace Shop.Tests.Shared;

/// <summary>
/// Redis Cluster's hash slot of a key, computed locally (StackExchange.Redis reports 0 for every key on a standalone
/// server): CRC16 (XMODEM) of the first non-empty {…} hash tag, or of the whole key, mod 16384. Linked into the test
/// projects that check the key layout.
/// </summary>
internal static class RedisKeySlot
{
    public static int Of(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1) key = key[(open + 1)..close];
        }
        ushort crc = 0;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(key))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++) crc = (ushort)((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1);
        }
        return crc % 16384;
    }
}
