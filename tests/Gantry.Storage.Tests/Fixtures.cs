using Gantry.Storage.Tests.Contracts;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests;

// Every contract runs twice: on a temporary SQLite file and on a fresh PostgreSQL database.
// Each class gets its own database through its class fixture.

public sealed class SqliteJobStoreTests(SqliteStoreFixture fixture) : JobStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteJobQueryTests(SqliteStoreFixture fixture) : JobQueryContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteQueueStoreTests(SqliteStoreFixture fixture) : QueueStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteClusterStoreTests(SqliteStoreFixture fixture) : ClusterStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteUserStoreTests(SqliteStoreFixture fixture) : UserStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteStoreLifecycleTests(SqliteStoreFixture fixture) : StoreLifecycleContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresJobStoreTests(PostgresStoreFixture fixture) : JobStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

[RequiresPostgres]
public sealed class PostgresJobQueryTests(PostgresStoreFixture fixture) : JobQueryContract(fixture), IClassFixture<PostgresStoreFixture>;

[RequiresPostgres]
public sealed class PostgresQueueStoreTests(PostgresStoreFixture fixture) : QueueStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

[RequiresPostgres]
public sealed class PostgresClusterStoreTests(PostgresStoreFixture fixture) : ClusterStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

[RequiresPostgres]
public sealed class PostgresUserStoreTests(PostgresStoreFixture fixture) : UserStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

[RequiresPostgres]
public sealed class PostgresStoreLifecycleTests(PostgresStoreFixture fixture) : StoreLifecycleContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteMetricStoreTests(SqliteStoreFixture fixture) : MetricStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresMetricStoreTests(PostgresStoreFixture fixture) : MetricStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteClusterShareStoreTests(SqliteStoreFixture fixture) : ClusterShareStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresClusterShareStoreTests(PostgresStoreFixture fixture) : ClusterShareStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteKeyRingStoreTests(SqliteStoreFixture fixture) : KeyRingStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresKeyRingStoreTests(PostgresStoreFixture fixture) : KeyRingStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteTokenStoreTests(SqliteStoreFixture fixture) : TokenStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresTokenStoreTests(PostgresStoreFixture fixture) : TokenStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteAuditStoreTests(SqliteStoreFixture fixture) : AuditStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresAuditStoreTests(PostgresStoreFixture fixture) : AuditStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteLeaseStoreTests(SqliteStoreFixture fixture) : LeaseStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresLeaseStoreTests(PostgresStoreFixture fixture) : LeaseStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteReplicaStoreTests(SqliteStoreFixture fixture) : ReplicaStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresReplicaStoreTests(PostgresStoreFixture fixture) : ReplicaStoreContract(fixture), IClassFixture<PostgresStoreFixture>;

public sealed class SqliteExperimentStoreTests(SqliteStoreFixture fixture) : ExperimentStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresExperimentStoreTests(PostgresStoreFixture fixture) : ExperimentStoreContract(fixture), IClassFixture<PostgresStoreFixture>;
