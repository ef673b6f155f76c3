using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Webhooks;

/// <summary>A receiver's address this API must not call (<see cref="WebhookRules.AddressProblem"/>).</summary>
public sealed class ReceiverAddressRefusedException(string message) : Exception(message);

/// <summary>
/// Where a receiver may be, checked against server-side request forgery twice: when a subscription names it (its host
/// must resolve, and only to addresses allowed), and on every delivery, when the connection is made to an address the
/// name resolves to then (so a name that later resolves to this network's own services, DNS rebinding, is refused too).
/// Redirects are never followed.
/// </summary>
public sealed class ReceiverAddresses(IOptions<WebhookOptions> options)
{
    /// <summary>Why a subscription may not name <paramref name="url"/>, or null.</summary>
    public async Task<string?> ProblemAsync(string url, CancellationToken ct)
    {
        if (WebhookRules.UrlProblem(url, options.Value) is { } problem)
        {
            return problem;
        }

        try
        {
            var addresses = await ResolveAsync(new Uri(url).IdnHost, ct);
            return addresses.Length == 0 ? "must name a host that resolves."
                : addresses.Select(a => WebhookRules.AddressProblem(a, options.Value)).FirstOrDefault(p => p is not null);
        }
        catch (SocketException)
        {
            return "must name a host that resolves.";
        }
    }

    /// <summary>The delivery client's connection: to an allowed address of the host, or none at all.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, ct);
        var allowed = addresses.Where(a => WebhookRules.AddressProblem(a, options.Value) is null).ToArray();
        if (allowed.Length == 0)
        {
            throw new ReceiverAddressRefusedException(
                $"The receiver's address is refused: its host {WebhookRules.AddressProblem(addresses.FirstOrDefault() ?? IPAddress.None, options.Value) ?? "does not resolve."}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
}
