using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Shop.Domain.Products;

namespace Shop.Infrastructure.Persistence.Seeding;

/// <summary>
/// Loads deterministic data (the same rows on every machine) with PostgreSQL binary COPY:
/// the large seed (1.1 M rows) takes seconds where row-by-row inserts would take minutes.
/// Runs only when the database has no products, so it is safe at every start.
/// </summary>
public sealed partial class DatabaseSeeder(ShopDbContext db, ILogger<DatabaseSeeder> logger)
{
    private static readonly DateTime Epoch = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Currencies = ["EUR", "USD", "GBP"];
    private static readonly string[] Adjectives = ["Classic", "Compact", "Deluxe", "Eco", "Pro", "Smart", "Ultra", "Vintage"];
    private static readonly string[] Nouns = ["Backpack", "Blender", "Chair", "Headphones", "Kettle", "Lamp", "Monitor", "Sneakers", "Tent", "Watch"];

    public async Task SeedAsync(SeedSize size, CancellationToken cancellationToken = default)
    {
        if (await db.Set<Product>().AnyAsync(cancellationToken)) return;

        var started = Stopwatch.GetTimestamp();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var random = new Random(42);
            await CopyCategoriesAsync(connection, size, cancellationToken);
            await CopyProductsAsync(connection, size, random, cancellationToken);
            await CopyUsersAsync(connection, size, random, cancellationToken);
            await CopyReviewsAsync(connection, size, random, cancellationToken);
            foreach (var table in new[] { "categories", "products", "users", "reviews" })
            {
                await using var reset = new NpgsqlCommand(
                    $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))", connection, tx);
                await reset.ExecuteNonQueryAsync(cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
            await using var analyze = new NpgsqlCommand("ANALYZE", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        LogSeeded(size.Products, size.Reviews, size.Users, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task CopyCategoriesAsync(NpgsqlConnection c, SeedSize size, CancellationToken ct)
    {
        await using var w = await c.BeginBinaryImportAsync("COPY categories (id, name) FROM STDIN (FORMAT BINARY)", ct);
        for (var id = 1; id <= size.Categories; id++)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync($"Category {id:000}", NpgsqlDbType.Varchar, ct);
        }
        await w.CompleteAsync(ct);
    }

    private static async Task CopyProductsAsync(NpgsqlConnection c, SeedSize size, Random random, CancellationToken ct)
    {
        await using var w = await c.BeginBinaryImportAsync(
            "COPY products (id, sku, name, description, price, currency, category_id, created_at, updated_at, version) FROM STDIN (FORMAT BINARY)", ct);
        for (var id = 1; id <= size.Products; id++)
        {
            var name = $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]} {id}";
            var created = Epoch.AddMinutes(id);
            await w.StartRowAsync(ct);
            await w.WriteAsync(id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync($"SKU-{id:000000}", NpgsqlDbType.Varchar, ct);
            await w.WriteAsync(name, NpgsqlDbType.Varchar, ct);
            await w.WriteAsync($"{name}: a dependable product for everyday use, with a two-year warranty.", NpgsqlDbType.Varchar, ct);
            await w.WriteAsync(Math.Round((decimal)(random.NextDouble() * 500 + 1), 2), NpgsqlDbType.Numeric, ct);
            await w.WriteAsync(Currencies[id % Currencies.Length], NpgsqlDbType.Char, ct);
            await w.WriteAsync(1 + (id - 1) % size.Categories, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync(1L, NpgsqlDbType.Bigint, ct);
        }
        await w.CompleteAsync(ct);
    }

    private static async Task CopyUsersAsync(NpgsqlConnection c, SeedSize size, Random random, CancellationToken ct)
    {
        string[] plans = ["Free", "Free", "Free", "Pro", "Enterprise"];
        await using (var w = await c.BeginBinaryImportAsync(
            "COPY users (id, name, email, plan, created_at, updated_at, version) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var id = 1; id <= size.Users; id++)
            {
                var created = Epoch.AddHours(id);
                await w.StartRowAsync(ct);
                await w.WriteAsync(id, NpgsqlDbType.Integer, ct);
                await w.WriteAsync($"User {id}", NpgsqlDbType.Varchar, ct);
                await w.WriteAsync($"user{id}@shop.example", NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(plans[random.Next(plans.Length)], NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(1L, NpgsqlDbType.Bigint, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await c.BeginBinaryImportAsync(
            "COPY user_preferences (user_id, currency, language, marketing_emails, updated_at, version) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var id = 1; id <= size.Users; id++)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(id, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(Currencies[id % Currencies.Length], NpgsqlDbType.Char, ct);
                await w.WriteAsync(id % 2 == 0 ? "en" : "de", NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(id % 3 == 0, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(Epoch.AddHours(id), NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(1L, NpgsqlDbType.Bigint, ct);
            }
            await w.CompleteAsync(ct);
        }
    }

    private static async Task CopyReviewsAsync(NpgsqlConnection c, SeedSize size, Random random, CancellationToken ct)
    {
        await using var w = await c.BeginBinaryImportAsync(
            "COPY reviews (id, product_id, user_id, rating, text, created_at) FROM STDIN (FORMAT BINARY)", ct);
        for (long id = 1; id <= size.Reviews; id++)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(id, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(1 + random.Next(size.Products), NpgsqlDbType.Integer, ct);
            await w.WriteAsync(1 + random.Next(size.Users), NpgsqlDbType.Integer, ct);
            await w.WriteAsync((short)(1 + random.Next(5)), NpgsqlDbType.Smallint, ct);
            await w.WriteAsync("Works as described.", NpgsqlDbType.Varchar, ct);
            await w.WriteAsync(Epoch.AddSeconds(id), NpgsqlDbType.TimestampTz, ct);
        }
        await w.CompleteAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Products} products, {Reviews} reviews, {Users} users in {Seconds:F1} s")]
    private partial void LogSeeded(int products, int reviews, int users, double seconds);
}
