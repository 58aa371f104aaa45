using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gantry.Storage.Tests.Infrastructure;

/// <summary>
/// Marks a concrete contract class that needs the PostgreSQL server named by
/// <c>GANTRY_TEST_POSTGRES</c>. Without it, every test of the class is reported as skipped
/// with <see cref="SkipReason"/> (xunit 2 has no dynamic skip, so the discoverers below
/// decide at discovery time from the class the contract method runs in).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute
{
    public const string Variable = "GANTRY_TEST_POSTGRES";

    public const string SkipReason = "GANTRY_TEST_POSTGRES is not set; scripts/test.sh starts a real server and sets it";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    internal static string? SkipReasonFor(ITypeInfo testClass) =>
        ConnectionString is null && testClass.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any() ? SkipReason : null;
}

/// <summary>A <see cref="FactAttribute"/> for contract tests: skipped where the fixture's database is unavailable.</summary>
[XunitTestCaseDiscoverer("Gantry.Storage.Tests.Infrastructure.ContractFactDiscoverer", "Gantry.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>A <see cref="TheoryAttribute"/> for contract tests: skipped where the fixture's database is unavailable.</summary>
[XunitTestCaseDiscoverer("Gantry.Storage.Tests.Infrastructure.ContractTheoryDiscoverer", "Gantry.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractTheoryAttribute : TheoryAttribute;

public sealed class ContractTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes", true)]
    public ContractTestCase()
    {
    }

    public ContractTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        base.GetSkipReason(factAttribute) ?? RequiresPostgresAttribute.SkipReasonFor(TestMethod.TestClass.Class)!;
}

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new ContractTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

public sealed class ContractTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        RequiresPostgresAttribute.SkipReasonFor(testMethod.TestClass.Class) is not null
            // One skipped case stands for the whole theory; its data rows are never needed.
            ? [new ContractTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
