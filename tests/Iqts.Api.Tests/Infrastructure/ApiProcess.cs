using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>
/// The API as a real process (<c>dotnet Iqts.Api.dll</c>, built beside the tests) on a loopback port, against a test
/// database: for what only separate processes show (a SIGKILL mid-work, two instances on one database). Its output is
/// kept for the test's failure message.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ApiProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>What the process wrote, stdout and stderr interleaved.</summary>
    public string Output => string.Join("\n", _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the API on <paramref name="database"/> with <paramref name="settings"/> and waits until it is ready.</summary>
    public static async Task<ApiProcess> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, int? port = null)
    {
        var chosen = port ?? FreePort();
        var info = Start(database, settings, "--urls", $"http://127.0.0.1:{chosen}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var api = new ApiProcess(process, chosen);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { api._output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { api._output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await api.WaitUntilReadyAsync();
        return api;
    }

    /// <summary>Runs a command of the executable (<c>tokens revoke …</c>) as its own process on <paramref name="database"/>: its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunCommandAsync(TestDatabase database, params string[] args)
    {
        using var process = Process.Start(Start(database, null, args)) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static ProcessStartInfo Start(TestDatabase database, IDictionary<string, string?>? settings, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Iqts.Api.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Database__Provider"] = database.Provider;
        info.Environment["ConnectionStrings__Iqts"] = database.ConnectionString;
        info.Environment["RateLimiting__PermitsPerMinute"] = "0";
        info.Environment["RateLimiting__PerAddressPermitsPerMinute"] = "0";
        info.Environment["RateLimiting__FailedAuthenticationsPerMinute"] = "0";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Iqts"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return info;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API process exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The API process was not ready after 60 s:\n{Output}");
    }

    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return http;
    }

    /// <summary>SIGKILL: no shutdown, no flushing, no finally blocks; what was in flight is simply gone.</summary>
    public async Task KillAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGKILL now, without waiting for the exit: for a test's own thread that must not wait for the pool.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
