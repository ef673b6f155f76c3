using System.Net;
using System.Net.Sockets;
using Iqts.Api.Events;

namespace Iqts.Api.Webhooks;

/// <summary>What a delivery attempt left: its new state, when it is tried next, the failures in a row, and why.</summary>
public sealed record DeliveryStep(DeliveryState State, TimeSpan Delay, int Failures, int? Status, string? Error);

/// <summary>
/// Webhooks as pure rules: what a subscription may name, which addresses a receiver may have (server-side request
/// forgery: never this network's own services), and how a delivery is retried: TRS's own schedule (5 s, 5 min, 30 min,
/// 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), then given up.
/// </summary>
public static class WebhookRules
{
    public const int MaxSubscriptions = 10;

    public const int MaxUrlLength = 2000;

    /// <summary>TRS's retry intervals (WebhookDeliveryService.RetryIntervals); after the last, the delivery fails.</summary>
    public static readonly TimeSpan[] RetryIntervals =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    /// <summary>A new subscription, or one as a merge patch leaves it: its URL and types checked, each error under its field.</summary>
    public static Outcome<SubscriptionRequest> Subscription(SubscriptionRequest request, WebhookOptions options, int others)
    {
        var errors = new ValidationErrors();
        if (others >= MaxSubscriptions)
        {
            return ApiErrors.SubscriptionLimitReached(MaxSubscriptions);
        }

        if (errors.RequireText("url", request.Url, MaxUrlLength) && UrlProblem(request.Url!, options) is { } problem)
        {
            errors.Add("url", problem);
        }

        var types = request.Types ?? [];
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] is not { } type || EventTypes.Find(type) is not { } known || known == EventTypes.Ping)
            {
                errors.Add($"types[{i}]", "must be one of the event types (see the README), other than ping.");
            }
        }

        if (types.Distinct().Count() != types.Count)
        {
            errors.Add("types", "must name each type at most once.");
        }

        return errors.IsEmpty ? request with { Url = new Uri(request.Url!).AbsoluteUri, Types = types } : errors.ToError();
    }

    /// <summary>
    /// Why a receiver's URL is refused, or null: absolute, <c>https</c> (<c>http</c> only to loopback, when allowed), no
    /// user name or password in it, and a host that is not an address this API must not call (checked again, for every
    /// address the name resolves to, when a delivery connects).
    /// </summary>
    public static string? UrlProblem(string url, WebhookOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return "must be an absolute https URL.";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "must not hold a user name, a password or a fragment.";
        }

        var loopback = uri.IsLoopback;
        if (uri.Scheme == "http" && !(loopback && options.AllowLoopback))
        {
            return "must use https.";
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && AddressProblem(address, options) is { } problem ? problem : null;
    }

    /// <summary>
    /// Why a receiver may not be at <paramref name="address"/>, or null: loopback, private (RFC 1918, unique local),
    /// link-local (cloud metadata services live there), carrier-grade NAT, multicast, unspecified and the like are this
    /// API's own network, not the internet, unless the settings allow them.
    /// </summary>
    public static string? AddressProblem(IPAddress address, WebhookOptions options)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return options.AllowLoopback ? null : "must not resolve to a loopback address.";
        }

        var bytes = address.GetAddressBytes();
        var privateOrLocal = address.AddressFamily == AddressFamily.InterNetwork
            ? bytes[0] == 10 || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31) || (bytes[0] == 192 && bytes[1] == 168)
              || (bytes[0] == 169 && bytes[1] == 254) || (bytes[0] == 100 && bytes[1] is >= 64 and <= 127)
            : address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (bytes[0] & 0xFE) == 0xFC;
        if (privateOrLocal)
        {
            return options.AllowPrivateNetworks ? null : "must not resolve to a private or link-local address.";
        }

        var reserved = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)
            || (address.AddressFamily == AddressFamily.InterNetwork ? bytes[0] == 0 || bytes[0] >= 224 : address.IsIPv6Multicast);
        return reserved ? "must resolve to a public unicast address." : null;
    }

    /// <summary>
    /// After one attempt: any 2xx delivers; anything else (another status, no answer in time, no connection, an address
    /// refused) waits the next step of TRS's schedule, and once that is spent the delivery fails.
    /// </summary>
    public static DeliveryStep AfterAttempt(int? status, string? error, int failures) =>
        status is >= 200 and < 300
            ? new(DeliveryState.Delivered, TimeSpan.Zero, 0, status, null)
            : failures < RetryIntervals.Length
                ? new(DeliveryState.Pending, RetryIntervals[failures], failures + 1, status, error ?? $"The receiver answered {status}.")
                : new(DeliveryState.Failed, TimeSpan.Zero, failures + 1, status, $"Not delivered after {failures + 1} attempts over about three days: {error ?? $"the receiver answered {status}."}");

    /// <summary>Whether a subscription whose deliveries have all failed since <paramref name="failingSince"/> is paused now.</summary>
    public static bool Pauses(DateTimeOffset? failingSince, DateTimeOffset now, WebhookOptions options) =>
        failingSince is { } since && now - since >= options.PauseAfter;

    /// <summary>The feed's <c>types</c> query: comma-separated known types; each unknown one an error naming the parameter.</summary>
    public static (IReadOnlyList<string> Types, ValidationErrors Errors) TypesQuery(string? types)
    {
        var errors = new ValidationErrors();
        var wanted = (types ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        foreach (var unknown in wanted.Where(t => EventTypes.Find(t) is null or { Name: "ping" }))
        {
            errors.Add("types", $"'{unknown}' is not an event type in a feed (see the README).");
        }

        return (wanted, errors);
    }

    /// <summary>A subscription's types as stored: <c>,a,b,</c>, or empty for every type (so one LIKE finds a type).</summary>
    public static string StoredTypes(IReadOnlyList<string> types) => types.Count == 0 ? "" : $",{string.Join(',', types)},";

    public static IReadOnlyList<string> TypesOf(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
