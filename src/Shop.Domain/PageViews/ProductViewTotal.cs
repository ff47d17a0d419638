namespace Shop.Domain.PageViews;

/// <summary>
/// A product's page views flushed to PostgreSQL so far. Written only by the write-behind flusher, which adds
/// batched deltas in one statement; views still waiting in Redis are not in it.
/// </summary>
public sealed class ProductViewTotal
{
    private ProductViewTotal() { }

    public int ProductId { get; private set; }
    public long Views { get; private set; }
}
