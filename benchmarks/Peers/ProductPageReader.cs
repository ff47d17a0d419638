using System.Data;
using Npgsql;

namespace Peers;

/// <summary>
/// One prepared statement: the SQL EF Core generates for Shop's product-page projection (category join, two correlated
/// aggregates over reviews, the average rounded to 2 decimals), so values and their scale match Shop's to the digit.
/// </summary>
public sealed class ProductPageReader(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        SELECT p.id, p.sku, p.name, p.description, p.price, p.currency, p.category_id, c.name,
               round(COALESCE((SELECT avg(r.rating::numeric) FROM reviews AS r WHERE r.product_id = p.id), 0.0), 2),
               (SELECT count(*)::int FROM reviews AS r0 WHERE r0.product_id = p.id),
               p.updated_at
        FROM products AS p
        INNER JOIN categories AS c ON p.category_id = c.id
        WHERE p.id = $1
        """;

    public async Task<ProductPage?> ReadAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
        // Prepared once per physical connection: Npgsql keeps it across pooled open/close, so later calls only look it up.
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ProductPage(
            reader.GetInt32(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetDecimal(4),
            reader.GetString(5),
            reader.GetInt32(6),
            reader.GetString(7),
            new Rating(reader.GetDecimal(8), reader.GetInt32(9)),
            reader.GetFieldValue<DateTimeOffset>(10));
    }
}
