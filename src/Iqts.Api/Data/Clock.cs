namespace Iqts.Api.Data;

public static class Clock
{
    /// <summary>Now in UTC at microsecond precision, the precision both engines store, so a value reads back equal.</summary>
    public static DateTimeOffset UtcNowMicros(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    public static DateOnly Today(this TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
