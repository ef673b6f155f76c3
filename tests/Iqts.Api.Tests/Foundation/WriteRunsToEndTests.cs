using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// A write, once begun, runs to its end whatever its caller's token says (a client that left, a worker told to stop):
/// on PostgreSQL a cancelled statement kept its transaction, and the rows and the provider's counter it had locked, open
/// until the server answered the cancel request or 2 s passed, and the provider's other writers waited behind a client
/// that was gone. The token still counts before the write begins, and for reads, which lock nothing.
/// </summary>
public sealed class WriteRunsToEndTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Actor Tester = new(Guid.Empty, "test");

    [Fact]
    public async Task A_begun_write_whose_caller_has_gone_still_runs_its_statements_and_commits()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var traineeId = Guid.Parse((await client.CreateTraineeAsync()).Id());
        var changes = api.Operation<TraineeChanges>();
        using var caller = new CancellationTokenSource();

        await using (var work = await UnitOfWork.BeginWriteAsync(api.Db, caller.Token))
        {
            // The client leaves after the write began: every statement after that, and the commit, still run.
            await caller.CancelAsync();
            var begun = await changes.BeginAsync(work, ukprn, traineeId, null, caller.Token);
            await changes.SaveAsync(begun.Value, begun.Value.Current with { LastName = "Finished" }, Tester, AuditActions.Updated, [], caller.Token);
            Assert.Null(await work.CommitAsync(caller.Token));
        }

        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        Assert.Equal("Finished", await connection.ExecuteScalarAsync<string>(
            "SELECT last_name FROM trainees WHERE ukprn = @ukprn AND id = @traineeId", new { ukprn, traineeId }));
    }

    [Fact]
    public async Task A_write_not_yet_begun_and_a_read_still_stop_when_their_caller_has_gone()
    {
        var ukprn = await api.CreateProviderAsync();
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => UnitOfWork.BeginWriteAsync(api.Db, gone.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            api.Db.ReadAsync(work => TraineeRepository.ExistsAsync(work, ukprn, Guid.NewGuid(), gone.Token), gone.Token));
    }
}
