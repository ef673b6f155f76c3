using System.Collections.ObjectModel;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>
/// A collection an exporter may add to from any thread while a test reads it. OpenTelemetry's in-memory span exporter
/// adds on whichever thread ends an activity, and a tracer provider listens to its sources across the whole process, so
/// other tests' hosts end spans into it while the test copies it; a plain list then throws or loses items.
/// </summary>
public sealed class LockedCollection<T> : Collection<T>
{
    private readonly Lock _gate = new();

    /// <summary>A copy of what has been added so far, safe to enumerate.</summary>
    public List<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (_gate)
        {
            base.InsertItem(index, item);
        }
    }

    protected override void SetItem(int index, T item)
    {
        lock (_gate)
        {
            base.SetItem(index, item);
        }
    }

    protected override void RemoveItem(int index)
    {
        lock (_gate)
        {
            base.RemoveItem(index);
        }
    }

    protected override void ClearItems()
    {
        lock (_gate)
        {
            base.ClearItems();
        }
    }
}
