using System.ComponentModel.DataAnnotations;

namespace Iqts.Api.Http;

/// <summary><c>RateLimiting:*</c>, validated at start-up.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Requests a minute per token (per client address without one), bursts up to the same number; 0 turns limiting off.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 1200;
}
