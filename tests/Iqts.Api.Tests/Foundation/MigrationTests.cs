using System.Data.Common;
using Dapper;
using Iqts.Api.Data;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Iqts.Api.Tests.Foundation;

/// <summary>The migrator against a database of its own (not the app's), on the engine under test.</summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        TypeHandlers.Register();
        _database = await TestDatabase.CreateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private IDbConnectionFactory NewFactory() => _database.Provider == "postgres"
        ? new PostgresConnectionFactory(NpgsqlDataSource.Create(_database.ConnectionString))
        : new SqliteConnectionFactory(_database.ConnectionString);

    private static Migrator NewMigrator(IDbConnectionFactory factory) => new(factory, TimeProvider.System, NullLogger<Migrator>.Instance);

    private static MigrationScript[] Scripts(string secondBody = "CREATE TABLE probe_b (id INTEGER PRIMARY KEY)") =>
    [
        new(1, "0001_probe_a", "CREATE TABLE probe_a (id INTEGER PRIMARY KEY)"),
        new(2, "0002_probe_b", secondBody),
    ];

    [Fact]
    public async Task Embedded_migrations_apply_and_a_rerun_applies_nothing()
    {
        var factory = NewFactory();
        var scripts = MigrationScript.LoadEmbedded(factory.Dialect);
        Assert.NotEmpty(scripts);
        Assert.Equal(scripts.Count, await NewMigrator(factory).MigrateAsync(scripts, CancellationToken.None));
        Assert.Equal(0, await NewMigrator(factory).MigrateAsync(scripts, CancellationToken.None));

        await using var connection = await factory.OpenAsync(CancellationToken.None);
        var recorded = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(scripts.Select(s => s.Version), recorded);
    }

    /// <summary>
    /// Migration 0012 rebuilds <c>providers</c> and <c>api_tokens</c> on SQLite (a CHECK cannot be altered there), with
    /// foreign keys off as SQLite's procedure requires: a provider with a school and a token must come through whole,
    /// with its first approval entry, and foreign keys must be enforced again afterwards.
    /// </summary>
    [Fact]
    public async Task The_governance_migration_keeps_a_database_with_data_whole()
    {
        var factory = NewFactory();
        var scripts = MigrationScript.LoadEmbedded(factory.Dialect);
        await NewMigrator(factory).MigrateAsync(scripts.Where(s => s.Version < 12).ToList(), CancellationToken.None);
        var now = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var school = Guid.NewGuid();
        await using (var connection = await factory.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO providers (ukprn, name, approval_status, inspection_grade, inspection_date, may_exceed_trainee_cap, created_at, updated_at, row_version, change_seq)
                VALUES ('10000001', 'Kept', 'suspended', 2, @day, @no, @now, @now, 3, 1)
                """, new { day = new DateOnly(2024, 1, 1), no = false, now });
            await connection.ExecuteAsync(
                """
                INSERT INTO schools (id, ukprn, name, country, school_type, created_at, updated_at, row_version, change_seq)
                VALUES (@school, '10000001', 'A school', 'AE', 'british_international', @now, @now, 1, 1)
                """, new { school, now });
            await connection.ExecuteAsync(
                "INSERT INTO api_tokens (id, token_hash, role, ukprn, name, created_at) VALUES (@id, 'hash', 'provider', '10000001', 'SITS', @now)",
                new { id = Guid.NewGuid(), now });
        }

        Assert.Equal(scripts.Count(s => s.Version >= 12), await NewMigrator(factory).MigrateAsync(scripts, CancellationToken.None));

        await using var after = await factory.OpenAsync(CancellationToken.None);
        Assert.Equal(("suspended", "ofsted", 3L), await after.QuerySingleAsync<(string, string, long)>(
            "SELECT approval_status, inspection_source, row_version FROM providers WHERE ukprn = '10000001'"));
        Assert.Equal(("suspended", "registered"), await after.QuerySingleAsync<(string, string)>("SELECT approval_status, step FROM approval_history WHERE ukprn = '10000001'"));
        Assert.Equal(1, await after.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schools s JOIN providers p ON p.ukprn = s.ukprn"));
        Assert.Equal("provider", await after.ExecuteScalarAsync<string>("SELECT role FROM api_tokens WHERE name = 'SITS'"));
        // Foreign keys hold again: a school of no provider is refused.
        await Assert.ThrowsAnyAsync<DbException>(() => after.ExecuteAsync(
            "INSERT INTO schools (id, ukprn, name, country, school_type, created_at, updated_at, row_version, change_seq) VALUES (@id, '19999999', 'x', 'AE', 'other_private', @now, @now, 1, 2)",
            new { id = Guid.NewGuid(), now }));
    }

    [Fact]
    public void Both_engines_have_the_same_migrations()
    {
        var sqlite = MigrationScript.LoadEmbedded(SqlDialect.Sqlite).Select(s => s.Name);
        var postgres = MigrationScript.LoadEmbedded(SqlDialect.Postgres).Select(s => s.Name);
        Assert.Equal(sqlite, postgres);
    }

    [Fact]
    public async Task An_edited_applied_migration_stops_with_a_clear_error()
    {
        var factory = NewFactory();
        await NewMigrator(factory).MigrateAsync(Scripts(), CancellationToken.None);

        var edited = Scripts("CREATE TABLE probe_b (id INTEGER PRIMARY KEY, extra TEXT)");
        var error = await Assert.ThrowsAsync<MigrationChecksumException>(() => NewMigrator(factory).MigrateAsync(edited, CancellationToken.None));
        Assert.Contains("0002_probe_b", error.Message, StringComparison.Ordinal);
        Assert.Contains("edited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Line_endings_do_not_count_as_an_edit()
    {
        var factory = NewFactory();
        await NewMigrator(factory).MigrateAsync(Scripts("CREATE TABLE probe_b (\n id INTEGER PRIMARY KEY)"), CancellationToken.None);
        Assert.Equal(0, await NewMigrator(factory).MigrateAsync(Scripts("CREATE TABLE probe_b (\r\n id INTEGER PRIMARY KEY)"), CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var factory = NewFactory();
        var broken = Scripts("CREATE TABLE probe_b (id INTEGER PRIMARY KEY); CREATE TABLE probe_b (id INTEGER PRIMARY KEY)");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => NewMigrator(factory).MigrateAsync(broken, CancellationToken.None));

        await using var connection = await factory.OpenAsync(CancellationToken.None);
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToList();
        Assert.Equal([1], versions);
        // probe_b was rolled back with its migration, so the fixed script applies cleanly.
        Assert.Equal(1, await NewMigrator(factory).MigrateAsync(Scripts(), CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_once()
    {
        var factories = Enumerable.Range(0, 4).Select(_ => NewFactory()).ToList();
        var scripts = MigrationScript.LoadEmbedded(factories[0].Dialect);
        var applied = await Task.WhenAll(factories.Select(f => Task.Run(() => NewMigrator(f).MigrateAsync(scripts, CancellationToken.None))));

        Assert.Equal(scripts.Count, applied.Sum());
        await using var connection = await factories[0].OpenAsync(CancellationToken.None);
        Assert.Equal(scripts.Count, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations"));
    }
}
