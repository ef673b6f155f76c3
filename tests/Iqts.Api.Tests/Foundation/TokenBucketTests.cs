using Iqts.Api.Http;
using Microsoft.Extensions.Time.Testing;

namespace Iqts.Api.Tests.Foundation;

/// <summary>The lock-free token buckets behind both rate limits, on a fake clock.</summary>
public sealed class TokenBucketTests
{
    [Fact]
    public void A_bucket_gives_its_burst_then_one_permit_each_sixtieth_of_a_minute_and_says_when()
    {
        var clock = new FakeTimeProvider();
        using var buckets = new TokenBuckets<string>(30, clock);

        Assert.All(Enumerable.Range(0, 30), i => Assert.True(buckets.TryTake("a", out _)));
        Assert.False(buckets.TryTake("a", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(2), wait);
        Assert.True(buckets.IsEmpty("a"));
        Assert.False(buckets.IsEmpty("b"));
        Assert.True(buckets.TryTake("b", out _));

        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(buckets.TryTake("a", out wait));
        Assert.Equal(TimeSpan.FromSeconds(0.5), wait);

        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(buckets.TryTake("a", out _));
        Assert.False(buckets.TryTake("a", out _));

        // A minute idle refills it, and no more than full.
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(30, Enumerable.Range(0, 40).Count(i => buckets.TryTake("a", out _)));
    }

    [Fact]
    public void Concurrent_takes_never_give_more_than_the_bucket_holds()
    {
        var clock = new FakeTimeProvider();
        using var buckets = new TokenBuckets<int>(1000, clock);
        var taken = 0;
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 500; i++)
            {
                if (buckets.TryTake(7, out _))
                {
                    Interlocked.Increment(ref taken);
                }
            }
        });

        Assert.Equal(1000, taken);
    }

    [Fact]
    public void A_full_bucket_is_dropped_by_the_minute_sweep_and_comes_back_full()
    {
        var clock = new FakeTimeProvider();
        using var buckets = new TokenBuckets<string>(2, clock);
        Assert.True(buckets.TryTake("once", out _));
        Assert.True(buckets.TryTake("busy", out _));
        Assert.True(buckets.TryTake("busy", out _));

        // One permit back every 30 s: at the sweep, "once" is full again and "busy" one short.
        clock.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));
        Assert.True(buckets.TryTake("busy", out _));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, buckets.Count);
        Assert.True(buckets.TryTake("busy", out _));
        Assert.False(buckets.TryTake("busy", out _));
        Assert.Equal(2, Enumerable.Range(0, 3).Count(i => buckets.TryTake("once", out _)));
    }

    [Fact]
    public void A_limit_of_zero_is_off()
    {
        using var buckets = new TokenBuckets<string>(0, new FakeTimeProvider());
        Assert.All(Enumerable.Range(0, 1000), i => Assert.True(buckets.TryTake("a", out _)));
        Assert.False(buckets.IsEmpty("a"));
        Assert.Equal(0, buckets.Count);
    }
}
