using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Iqts.Api.Http;

/// <summary>
/// A token bucket per key that holds <c>perMinute</c> permits and refills them steadily over the minute (one every
/// 60/<c>perMinute</c> seconds), taken without a lock. Each key keeps one number, the instant its bucket is next full
/// (the generic cell rate algorithm, a token bucket written as a time), moved forward by compare-and-swap. It replaces
/// System.Threading.RateLimiting's partitioned limiter, whose dictionary lock and per-bucket lock every request took
/// twice: about 4.5% of a GET's rate at 32 connections (README, "What stands in the way").
/// </summary>
public sealed class TokenBuckets<TKey> : IDisposable
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, StrongBox<long>> _full = new();
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _burst;
    private readonly ITimer? _sweep;

    /// <param name="perMinute">Permits a minute, and the burst; 0 or less turns the limit off.</param>
    public TokenBuckets(int perMinute, TimeProvider time)
    {
        _time = time;
        if (perMinute <= 0)
        {
            return;
        }

        _interval = Math.Max(1, (long)(time.TimestampFrequency * 60.0 / perMinute));
        _burst = _interval * perMinute;
        // A key whose bucket is full is the same as no key: drop those once a minute, so addresses seen once do not stay.
        _sweep = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    /// <summary>How many keys have a bucket now (a full bucket is dropped at the next sweep).</summary>
    public int Count => _full.Count;

    /// <summary>Takes a permit of <paramref name="key"/>'s bucket; when it is empty, says how long until one is back.</summary>
    public bool TryTake(TKey key, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (_sweep is null)
        {
            return true;
        }

        var full = _full.GetOrAdd(key, static _ => new StrongBox<long>(long.MinValue));
        var now = _time.GetTimestamp();
        while (true)
        {
            var seen = Volatile.Read(ref full.Value);
            if (!TokenBucket.Take(seen, now, _interval, _burst, out var next))
            {
                wait = TimeSpan.FromSeconds((double)(next - now) / _time.TimestampFrequency);
                return false;
            }

            if (Interlocked.CompareExchange(ref full.Value, next, seen) == seen)
            {
                return true;
            }
        }
    }

    /// <summary>Whether <paramref name="key"/>'s bucket has no permit left now (a key never seen has a full bucket).</summary>
    public bool IsEmpty(TKey key) =>
        _sweep is not null && _full.TryGetValue(key, out var full) && !TokenBucket.Take(Volatile.Read(ref full.Value), _time.GetTimestamp(), _interval, _burst, out _);

    /// <summary>
    /// Drops the keys whose bucket is full. A request that takes a permit as its key is dropped takes it from the dropped
    /// bucket, so at the instant of a sweep a full bucket can give one permit more for each request in flight.
    /// </summary>
    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var pair in _full)
        {
            if (Volatile.Read(ref pair.Value.Value) <= now)
            {
                _full.TryRemove(pair);
            }
        }
    }

    public void Dispose() => _sweep?.Dispose();
}

/// <summary>The bucket's rule, pure, in timestamps (<see cref="TimeProvider.GetTimestamp"/>).</summary>
public static class TokenBucket
{
    /// <summary>
    /// The rule, pure: a bucket next full at <paramref name="full"/> has a permit at <paramref name="now"/> when taking one
    /// (<paramref name="interval"/> of refill) leaves it no more than <paramref name="burst"/> short of full. Taken:
    /// <paramref name="next"/> is the new instant it is next full. Refused: <paramref name="next"/> is when a permit is back.
    /// </summary>
    public static bool Take(long full, long now, long interval, long burst, out long next)
    {
        var after = Math.Max(full, now) + interval;
        if (after - now <= burst)
        {
            next = after;
            return true;
        }

        next = after - burst;
        return false;
    }
}
