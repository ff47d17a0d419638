using System.Text;
using Shop.Application.Users;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Caching.Serialization;

namespace Shop.UnitTests.Caching;

/// <summary>The envelope header: its fields round-trip, and anything not written by this serializer in this layout is refused, never thrown.</summary>
public sealed class CacheEnvelopeTests
{
    private static readonly UserProfileDto Sample = new(7, "User 7", "user7@shop.example", "enterprise", 12);

    [Fact]
    public void Header_fields_round_trip_and_the_version_stays_where_the_write_through_Lua_reads_it()
    {
        var json = new JsonCacheSerializer();
        var bytes = CacheEnvelope.Encode(json, Sample, 42, loadedAtMs: 1_700_000_000_123, softExpiryMs: 1_700_000_600_123);

        Assert.True(CacheEnvelope.TryDecode<UserProfileDto>(json, bytes, out var value, out var stamp));
        Assert.Equal(Sample, value);
        Assert.Equal(new CacheEnvelope.Stamp(42, 1_700_000_000_123, 1_700_000_600_123), stamp);
        // compare-and-set.lua: tonumber(string.sub(value, 2, 20)) is bytes 2-20 (1-based).
        Assert.Equal(42, long.Parse(Encoding.ASCII.GetString(bytes, 1, 19), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((byte)'J', bytes[20]);
    }

    [Fact]
    public void An_entry_written_by_another_serializer_does_not_decode()
    {
        var bytes = CacheEnvelope.Encode(new MessagePackCacheSerializer(), Sample, 1, 1, 2);
        Assert.False(CacheEnvelope.TryDecode<UserProfileDto>(new JsonCacheSerializer(), bytes, out _, out _));
        Assert.True(CacheEnvelope.TryDecode<UserProfileDto>(new MessagePackCacheSerializer(), bytes, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("10000000000000000042{\"id\":7}")] // the previous 20-byte header layout
    [InlineData("10000000000000000001J00000000000010000000000002{not json")]
    [InlineData("x0000000000000000001J00000000000010000000000002{}")]
    public void Garbage_and_older_layouts_do_not_decode(string raw)
    {
        Assert.False(CacheEnvelope.TryDecode<UserProfileDto>(new JsonCacheSerializer(), Encoding.UTF8.GetBytes(raw), out _, out _));
        Assert.Throws<FormatException>(() => CacheEnvelope.Decode<UserProfileDto>(new JsonCacheSerializer(), Encoding.UTF8.GetBytes(raw)));
    }

    [Fact]
    public void Absent_round_trips()
    {
        var json = new JsonCacheSerializer();
        Assert.True(CacheEnvelope.TryDecode<UserProfileDto>(json, CacheEnvelope.Encode<UserProfileDto>(json, null, 0, 5, 6), out var value, out var stamp));
        Assert.Null(value);
        Assert.Equal(6, stamp.SoftExpiryMs);
    }
}
