using System.Net.Http.Headers;
using Iqts.Api.Data;
using Iqts.Api.Tokens;
using Iqts.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>
/// The real app over the real HTTP pipeline (TestServer) on a fresh database per test class.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public IDbConnectionFactory Db => Services.GetRequiredService<IDbConnectionFactory>();

    /// <summary>The start of the fake clock: mid-way through the 2025/26 academic year, when the fixtures' trainees are in training.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 16, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every log line the app wrote, at every level.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>
    /// The app's clock. No test depends on the real date: the clock starts at <see cref="Start"/> and moves a microsecond
    /// each time it is read, so writes are ordered in time; a test moves it further with <c>Advance</c>.
    /// </summary>
    public FakeTimeProvider Clock { get; init; } = new(Start) { AutoAdvanceAmount = TimeSpan.FromMicroseconds(1) };

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    /// <summary>Extra settings a test class needs (e.g. a small rate limit).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Set to run this app on another app's database (two instances side by side); that app drops it.</summary>
    public TestDatabase? SharedDatabase { get; init; }

    public virtual async Task InitializeAsync()
    {
        _database = SharedDatabase ?? await TestDatabase.CreateAsync();
        _ = Server; // Start the app (and run its migrations) now, not inside the first test.
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await ((IAsyncDisposable)this).DisposeAsync(); // the host, and whatever a subclass added (a fake TRA)
        if (_database is not null && SharedDatabase is null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.UseSetting("Database:Provider", Database.Provider);
        builder.UseSetting("ConnectionStrings:Iqts", Database.ConnectionString);
        // Limits are off unless a test class turns one on: the client address of every test request is the same.
        builder.UseSetting("RateLimiting:PermitsPerMinute", "0");
        builder.UseSetting("RateLimiting:PerAddressPermitsPerMinute", "0");
        builder.UseSetting("RateLimiting:FailedAuthenticationsPerMinute", "0");
        // Webhooks: receivers on loopback (the tests' own), and the worker driven by the tests that deliver, pass by pass.
        builder.UseSetting("Webhooks:AllowLoopback", "true");
        builder.UseSetting("Webhooks:Worker", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public async Task<string> TokenAsync(string role, string? ukprn = null, string name = "test token", int? expiresInDays = null)
    {
        var (_, secret) = await Services.GetRequiredService<TokenIssuer>().CreateAsync(role, ukprn, name, expiresInDays, CancellationToken.None);
        return secret;
    }

    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<HttpClient> ClientForAsync(string role, string? ukprn = null) => ClientWith(await TokenAsync(role, ukprn));

    /// <summary>The generated C# SDK over the test server's HttpClient.</summary>
    public async Task<IqtsClient> SdkForAsync(string role, string? ukprn = null) => Sdk(await TokenAsync(role, ukprn));

    public IqtsClient Sdk(string? token)
    {
        var http = ClientWith(token);
        return new IqtsClient(http.BaseAddress!.ToString(), http);
    }
}
