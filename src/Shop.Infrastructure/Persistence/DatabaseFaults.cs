using Npgsql;

namespace Shop.Infrastructure.Persistence;

/// <summary>
/// Which exceptions mean "PostgreSQL is unreachable or too slow" (an outage, answered 503 + Retry-After or with a stale
/// copy) rather than a bug or a bad request: timeouts, connection-level Npgsql errors (refused, reset, pool exhausted)
/// and PostgreSQL errors Npgsql calls transient (shutdown, too many connections), also when EF Core wraps them.
/// </summary>
public static class DatabaseFaults
{
    public static bool IsOutage(Exception exception) => exception switch
    {
        TimeoutException => true,
        PostgresException postgres => postgres.IsTransient,
        NpgsqlException => true,
        { InnerException: { } inner } => IsOutage(inner),
        _ => false,
    };
}
