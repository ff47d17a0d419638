using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Infrastructure.Persistence;

namespace Shop.UnitTests.Persistence;

/// <summary>What counts as a PostgreSQL outage (503 or a stale answer) and what stays a bug or a bad request.</summary>
public sealed class DatabaseFaultsTests
{
    [Fact]
    public void Connection_failures_and_timeouts_are_outages_also_when_EF_Core_wraps_them()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        Assert.True(DatabaseFaults.IsOutage(refused));
        Assert.True(DatabaseFaults.IsOutage(new TimeoutException()));
        Assert.True(DatabaseFaults.IsOutage(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused)));
        Assert.True(DatabaseFaults.IsOutage(new DbUpdateException("save failed", refused)));
    }

    [Fact]
    public void Bugs_and_constraint_violations_are_not_outages()
    {
        Assert.False(DatabaseFaults.IsOutage(new InvalidOperationException("a bug")));
        Assert.False(DatabaseFaults.IsOutage(new ArgumentException("a bad argument")));
        Assert.False(DatabaseFaults.IsOutage(new DbUpdateException("no inner")));
    }
}
