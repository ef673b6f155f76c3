namespace Iqts.Api.Data;

/// <summary>
/// Wakes a background worker at once when there is work, instead of at its next poll: pulses before it waits count as
/// one, and a wait ends at a pulse or after its timeout. Only this process's worker hears it; other instances poll.
/// </summary>
public sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Pulse()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed.
        }
    }

    /// <summary>True when pulsed within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
