using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Iqts.Api.Data;

/// <summary>One plain SQL file, <c>NNNN_name.sql</c>.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the text with line endings normalised, so a checkout on Windows does not look edited.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The migrations of one engine, embedded from <c>db/migrations/{engine}/</c> at build time.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded(SqlDialect dialect)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var prefix = $"migrations/{dialect.Name}/";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore != 4 || !int.TryParse(fileName[..4], out var version))
            {
                throw new InvalidOperationException($"Migration file '{fileName}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new MigrationScript(version, Path.GetFileNameWithoutExtension(fileName), reader.ReadToEnd()));
        }

        var ordered = scripts.OrderBy(s => s.Version).ToList();
        var duplicate = ordered.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? ordered
            : throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(s => s.Name))}.");
    }
}

public sealed class MigrationChecksumException(string message) : Exception(message);

/// <summary>
/// Applies migrations in order, each in its own transaction, and records version and checksum
/// in <c>schema_migrations</c>. Refuses to run when an applied migration has been edited.
/// </summary>
public sealed partial class Migrator(IDbConnectionFactory db, TimeProvider time, ILogger<Migrator> logger)
{
    public Task<int> MigrateAsync(CancellationToken ct) => MigrateAsync(MigrationScript.LoadEmbedded(db.Dialect), ct);

    /// <returns>How many migrations this call applied.</returns>
    public async Task<int> MigrateAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var migrationLock = await db.Dialect.AcquireMigrationLockAsync(connection, ct);

        await connection.ExecuteAsync(new CommandDefinition(
            db.Dialect == SqlDialect.Postgres
                ? """
                  CREATE TABLE IF NOT EXISTS schema_migrations (
                      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)
                  """
                : """
                  CREATE TABLE IF NOT EXISTS schema_migrations (
                      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)
                  """,
            cancellationToken: ct));

        // SQLite changes a table's constraints only by rebuilding it (a new table, the rows copied, the old one dropped, the
        // new one renamed), which its documented procedure does with foreign keys off: dropping a parent with foreign keys
        // on deletes its rows first and fails. They cannot be switched inside a transaction, so they are off for the
        // migrations, and each migration must leave no broken reference (foreign_key_check) before it commits.
        var sqlite = db.Dialect == SqlDialect.Sqlite;
        if (sqlite)
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = OFF", cancellationToken: ct));
        }

        try
        {
            return await ApplyAsync(connection, scripts, sqlite, ct);
        }
        finally
        {
            if (sqlite)
            {
                await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = ON", cancellationToken: CancellationToken.None));
            }
        }
    }

    private async Task<int> ApplyAsync(DbConnection connection, IReadOnlyList<MigrationScript> scripts, bool checkReferences, CancellationToken ct)
    {
        var applied = 0;
        foreach (var script in scripts)
        {
            // Checked again inside each transaction: on SQLite another process may have applied it meanwhile.
            await using var tx = await connection.BeginTransactionAsync(ct);
            var recorded = await RecordedChecksumAsync(connection, tx, script.Version, ct);
            if (recorded is not null)
            {
                if (recorded != script.Checksum)
                {
                    throw new MigrationChecksumException(
                        $"Migration {script.Name} was edited after it was applied (recorded checksum {recorded[..12]}…, file now {script.Checksum[..12]}…). " +
                        "Restore the applied file and put the change in a new migration.");
                }

                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: tx, cancellationToken: ct));
            if (checkReferences && (await connection.QueryAsync(new CommandDefinition("PRAGMA foreign_key_check", transaction: tx, cancellationToken: ct))).Any())
            {
                throw new InvalidOperationException($"Migration {script.Name} leaves rows whose foreign keys name no row; nothing of it was applied.");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                new { script.Version, script.Name, script.Checksum, AppliedAt = time.GetUtcNow() },
                tx,
                cancellationToken: ct));
            await tx.CommitAsync(ct);
            applied++;
            LogApplied(logger, script.Name);
        }

        return applied;
    }

    private static Task<string?> RecordedChecksumAsync(DbConnection connection, DbTransaction tx, int version, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT checksum FROM schema_migrations WHERE version = @version", new { version }, tx, cancellationToken: ct));

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration}")]
    private static partial void LogApplied(ILogger logger, string migration);
}
