using Microsoft.Extensions.Logging.Abstractions;
using Shop.Infrastructure.Caching;

namespace Shop.UnitTests.Caching;

public sealed class InvalidationRetriesTests
{
    [Fact]
    public void The_retry_queue_keeps_at_most_its_capacity_dropping_the_oldest()
    {
        // Not started: nothing drains it, so what it holds is what Enqueue kept (the publisher is never called).
        var retries = new InvalidationRetries(publisher: null!, NullLogger<InvalidationRetries>.Instance);
        for (var i = 0; i < InvalidationRetries.Capacity + 5; i++) retries.Enqueue(Message(i));

        Assert.Equal(10_000, InvalidationRetries.Capacity);
        Assert.Equal(InvalidationRetries.Capacity, retries.Pending);
        Assert.True(retries.TryPeek(out var oldest));
        Assert.Equal(["k5"], oldest!.Keys); // the five oldest were dropped
    }

    [Fact]
    public void Below_its_capacity_the_retry_queue_keeps_every_message_in_order()
    {
        var retries = new InvalidationRetries(publisher: null!, NullLogger<InvalidationRetries>.Instance, capacity: 3);
        retries.Enqueue(Message(1));
        retries.Enqueue(Message(2));

        Assert.Equal(2, retries.Pending);
        Assert.True(retries.TryPeek(out var oldest));
        Assert.Equal(["k1"], oldest!.Keys);
    }

    private static InvalidationMessage Message(int i) => new("test", [$"k{i}"], [], i);
}
