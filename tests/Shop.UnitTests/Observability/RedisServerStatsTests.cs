using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.UnitTests.Observability;

/// <summary>/api/cache/stats says why a Redis node could not be read in an operator's words, never a .NET type name.</summary>
public sealed class RedisServerStatsTests
{
    public static TheoryData<Exception, string> Failures => new()
    {
        { new RedisTimeoutException(CommandFlags.None, "Timeout awaiting response (outbound=0KiB, inbound=0KiB, 2000ms elapsed)", CommandStatus.Sent), "no answer within 2 s" },
        { new TimeoutException("The operation has timed out."), "no answer within 2 s" },
        { new RedisServerException(RedisErrorKind.NoPermission, CommandFlags.None, "NOPERM User shop-monitor has no permissions to run the 'slowlog|get' command\nmore"), "refused: NOPERM User shop-monitor has no permissions to run the 'slowlog|get' command" },
        { new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "It was not possible to connect to the redis server(s).", null, CommandStatus.Unknown), "connection failed (UnableToConnect)" },
        { new ObjectDisposedException("ConnectionMultiplexer"), "connection closed" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_node_that_cannot_be_read_is_described_without_internals(Exception failure, string expected)
    {
        var reason = RedisServerStats.Reason(failure);

        Assert.Equal(expected, reason);
        Assert.DoesNotContain("Exception", reason, StringComparison.Ordinal);
    }
}
