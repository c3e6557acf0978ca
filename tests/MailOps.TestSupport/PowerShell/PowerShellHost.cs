using System.Collections.ObjectModel;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace MailOps.TestSupport.PowerShell;

/// <summary>
/// Real PowerShell in-process (System.Management.Automation): a runspace that imports the staged
/// module, so tests exercise parameter binding, pipelines, ErrorRecords, formatting and help as a
/// user's session would. One host per test class; a runspace is not shared across threads.
/// </summary>
public sealed class PowerShellHost : IDisposable
{
    private readonly Runspace runspace;

    /// <summary>Opens a runspace and imports <paramref name="manifestPath"/> (default: out/MailOps).</summary>
    public PowerShellHost(string? manifestPath = null)
    {
        var state = InitialSessionState.CreateDefault2();
        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        ModulePath = manifestPath ?? RepositoryPaths.ModuleManifest;
        if (!File.Exists(ModulePath))
        {
            throw new InvalidOperationException($"The staged module {ModulePath} does not exist: run 'dotnet build -c Release' first.");
        }

        PowerShellResult import = Invoke("Import-Module", new Dictionary<string, object?> { ["Name"] = ModulePath, ["ErrorAction"] = "Stop" });
        import.ThrowIfFailed();
    }

    /// <summary>The manifest that was imported.</summary>
    public string ModulePath { get; }

    /// <summary>Runs one command with named parameters (a switch is passed as <c>true</c> or
    /// <see cref="SwitchParameter.Present"/>) and optional pipeline input.</summary>
    public PowerShellResult Invoke(string command, IDictionary<string, object?>? parameters = null, IEnumerable<object?>? input = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand(command);
        if (parameters is not null)
        {
            foreach (var (name, value) in parameters)
            {
                if (value is true)
                {
                    ps.AddParameter(name);
                }
                else
                {
                    ps.AddParameter(name, value);
                }
            }
        }

        return Run(ps, input);
    }

    /// <summary>A PowerShell instance on this host's runspace, for tests that drive it themselves
    /// (BeginInvoke and Stop, as Ctrl+C does). The caller disposes it.</summary>
    public System.Management.Automation.PowerShell CreatePowerShell()
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        return ps;
    }

    /// <summary>Runs a script; <paramref name="variables"/> become $name variables first.</summary>
    public PowerShellResult InvokeScript(string script, IDictionary<string, object?>? variables = null, IEnumerable<object?>? input = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                runspace.SessionStateProxy.SetVariable(name, value);
            }
        }

        ps.AddScript(script);
        return Run(ps, input);
    }

    private static PowerShellResult Run(System.Management.Automation.PowerShell ps, IEnumerable<object?>? input)
    {
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            output = input is null ? ps.Invoke() : ps.Invoke(input);
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }

        return new PowerShellResult(
            output.ToList(),
            ps.Streams.Error.ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(),
            terminating);
    }

    /// <inheritdoc />
    public void Dispose() => runspace.Dispose();
}

/// <summary>Everything one invocation produced, stream by stream.</summary>
public sealed class PowerShellResult
{
    /// <summary>Creates a result.</summary>
    public PowerShellResult(IReadOnlyList<PSObject> output, IReadOnlyList<ErrorRecord> errors, IReadOnlyList<string> verbose, IReadOnlyList<string> warnings, Exception? terminating)
    {
        Output = output;
        Errors = errors;
        Verbose = verbose;
        Warnings = warnings;
        Terminating = terminating;
    }

    /// <summary>Objects written to the output stream.</summary>
    public IReadOnlyList<PSObject> Output { get; }

    /// <summary>Non-terminating errors.</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; }

    /// <summary>Verbose messages (only when -Verbose was given).</summary>
    public IReadOnlyList<string> Verbose { get; }

    /// <summary>Warnings.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A terminating error, if the command threw.</summary>
    public Exception? Terminating { get; }

    /// <summary>The single output object; fails loudly otherwise, with the errors in the message.</summary>
    public PSObject Single()
    {
        ThrowIfFailed();
        if (Output.Count != 1)
        {
            throw new InvalidOperationException($"Expected one output object, got {Output.Count}.");
        }

        return Output[0];
    }

    /// <summary>Throws with the first error's text when anything failed.</summary>
    public void ThrowIfFailed()
    {
        if (Terminating is not null)
        {
            throw new InvalidOperationException("Terminating error: " + Terminating.Message, Terminating);
        }

        if (Errors.Count > 0)
        {
            throw new InvalidOperationException("Error: " + Errors[0] + " (" + Errors[0].FullyQualifiedErrorId + ")");
        }
    }
}

/// <summary>Reads properties of output objects as PowerShell sees them.</summary>
public static class PSObjectExtensions
{
    /// <summary>The value of property <paramref name="name"/>, or null.</summary>
    public static object? Prop(this PSObject obj, string name) => obj.Properties[name]?.Value;

    /// <summary>The property's value as a string (enums as their names).</summary>
    public static string? Str(this PSObject obj, string name) => obj.Properties[name]?.Value?.ToString();

    /// <summary>The elements of a collection-valued property as PSObjects.</summary>
    public static IReadOnlyList<PSObject> Items(this PSObject obj, string name)
        => obj.Properties[name]?.Value is IEnumerable e and not string
            ? e.Cast<object>().Select(PSObject.AsPSObject).ToList()
            : Array.Empty<PSObject>();
}
