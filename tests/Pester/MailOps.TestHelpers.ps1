# Shared setup for the Pester 5 files in tests/Pester: they mirror the hosted xunit PowerShell
# tests in tests/MailOps.PowerShell.Tests, with the same zone on the same wire-protocol DNS test
# server (tests/MailOps.TestSupport), against the module staged in out/MailOps.
#
# Build first: `dotnet build MailOps.sln -c Release` (./build.ps1 does it; ./build.ps1 -Test then
# runs these files when Pester 5 is installed).
#
# Dot-source it from a test file's BeforeAll (and from BeforeDiscovery where the file builds
# -ForEach data from TestSupport types):
#     BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1')) }
#
# MailOps.TestSupport targets net10.0, so every file that starts a DNS test server needs a pwsh
# that runs on .NET 10 or later (PowerShell 7.6+). Module.Tests.ps1 needs only the staged module.

function Get-MailOpsRepositoryRoot {
    <# The folder holding MailOps.sln, found by walking up from this file's folder. #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $file = $MyInvocation.MyCommand.ScriptBlock.File
    $start = if ($file) { [System.IO.Path]::GetDirectoryName($file) } else { $PSScriptRoot }
    $dir = [System.IO.Path]::GetFullPath($start)
    while ($dir) {
        if ([System.IO.File]::Exists([System.IO.Path]::Combine($dir, 'MailOps.sln'))) {
            return $dir
        }

        $dir = [System.IO.Path]::GetDirectoryName($dir)
    }

    throw "MailOps.sln not found above '$start'."
}

function Get-MailOpsModuleManifest {
    <# out/MailOps/MailOps.psd1: the module exactly as users import it. #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    [System.IO.Path]::Combine((Get-MailOpsRepositoryRoot), 'out', 'MailOps', 'MailOps.psd1')
}

function Import-MailOpsModule {
    <# Imports the staged module (-Force, so a stale copy in the session is replaced). #>
    [CmdletBinding()]
    param()

    $manifest = Get-MailOpsModuleManifest
    if (-not [System.IO.File]::Exists($manifest)) {
        throw "The staged module $manifest does not exist: run 'dotnet build MailOps.sln -c Release' (or ./build.ps1) first."
    }

    Import-Module -Name $manifest -Force -Global -ErrorAction Stop
}

function Import-MailOpsTestSupport {
    <#
    Loads tests/MailOps.TestSupport (DnsZone, DnsTestServer, OpenSpfSuite) and its packages:
    ARSoft.Tools.Net, BouncyCastle.Cryptography and YamlDotNet. A class library's own bin folder
    holds no package assemblies, so the first build output that has all four is used: the
    library's own folder if it ever carries them, else the hosted test project's, which copies
    them. The packages are loaded first, from the same folder, so nothing depends on resolve
    events.
    #>
    [CmdletBinding()]
    param()

    if ('MailOps.TestSupport.Dns.DnsTestServer' -as [type]) {
        return
    }

    if ([System.Environment]::Version.Major -lt 10) {
        throw "tests/MailOps.TestSupport targets net10.0, but this pwsh runs on .NET $([System.Environment]::Version): use PowerShell 7.6 or later for the Pester files that need the DNS test server."
    }

    $root = Get-MailOpsRepositoryRoot
    $packages = @('BouncyCastle.Cryptography', 'ARSoft.Tools.Net', 'YamlDotNet')
    $required = @('MailOps.TestSupport') + $packages
    $candidates = foreach ($configuration in 'Release', 'Debug') {
        [System.IO.Path]::Combine($root, 'tests', 'MailOps.TestSupport', 'bin', $configuration, 'net10.0')
        [System.IO.Path]::Combine($root, 'tests', 'MailOps.PowerShell.Tests', 'bin', $configuration, 'net10.0')
    }

    $folder = $null
    foreach ($candidate in $candidates) {
        $complete = $true
        foreach ($name in $required) {
            if (-not [System.IO.File]::Exists([System.IO.Path]::Combine($candidate, "$name.dll"))) {
                $complete = $false
            }
        }

        if ($complete) {
            $folder = $candidate
            break
        }
    }

    if (-not $folder) {
        throw "MailOps.TestSupport.dll with $($packages -join ', ') beside it was not found in any of: $($candidates -join '; '). Run 'dotnet build MailOps.sln -c Release' first."
    }

    $loaded = @([System.AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name })
    foreach ($name in $packages) {
        # One copy per name: a package another module already loaded is used as it is.
        if ($loaded -notcontains $name) {
            $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($folder, "$name.dll"))
        }
    }

    $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($folder, 'MailOps.TestSupport.dll'))
}

function New-SpfFixtureZone {
    <#
    The zone of tests/MailOps.PowerShell.Tests/SpfFixture.cs: a company domain with a provider
    include, strict and broken records. AddTxt gets a [string[]] so PowerShell picks the
    AddTxt(string, params string[]) overload, not the raw-bytes one.
    #>
    [CmdletBinding()]
    param()

    Import-MailOpsTestSupport
    $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
    # Every Add* returns the zone (fluent); $null = keeps it out of the function's output.
    $null = $zone.AddTxt('contoso.example', [string[]] @('v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all'))
    $null = $zone.AddMx('contoso.example', 10, 'mail.contoso.example')
    $null = $zone.AddA('mail.contoso.example', '198.51.100.25')
    $null = $zone.AddTxt('sendgrid.example', [string[]] @('v=spf1 ip4:149.72.0.0/16 ~all'))
    $null = $zone.AddTxt('strict.example', [string[]] @('v=spf1 ip4:192.0.2.1 -all exp=explain.strict.example'))
    $null = $zone.AddTxt('explain.strict.example', [string[]] @('%{i} may not send mail for %{d}'))
    $null = $zone.AddTxt('twice.example', [string[]] @('v=spf1 ip4:192.0.2.0/24 -all'))
    $null = $zone.AddTxt('twice.example', [string[]] @('v=spf1 include:sendgrid.example -all'))
    $null = $zone.AddTxt('servfail.example', [string[]] @('v=spf1 -all'))
    $null = $zone.AddTxt('helo.example', [string[]] @('v=spf1 a -all'))
    $null = $zone.AddA('helo.example', '203.0.113.5')
    $null = $zone.AddTxt('slow.example', [string[]] @('v=spf1 ip4:192.0.2.0/24 -all'))
    $null = $zone.AddTxt('norecord.example', [string[]] @('google-site-verification=abc'))
    $null = $zone.AddTxt('dangling.example', [string[]] @('v=spf1 include:nowhere.example -all'))
    $includes = foreach ($i in 1..11) { 'include:p{0}.example' -f $i }
    $null = $zone.AddTxt('many.example', [string[]] @('v=spf1 ' + ($includes -join ' ') + ' -all'))
    foreach ($i in 1..11) {
        $null = $zone.AddTxt(('p{0}.example' -f $i), [string[]] @('v=spf1 ip4:10.0.{0}.0/24 ~all' -f $i))
    }

    $zone
}

function New-TestDnsServer {
    <# A started DnsTestServer on 127.0.0.1 answering from -Zone (an empty zone when omitted). Dispose it in AfterAll. #>
    [CmdletBinding()]
    param(
        # A MailOps.TestSupport.Dns.DnsZone (untyped here so this file parses before the assembly is loaded).
        [object] $Zone
    )

    Import-MailOpsTestSupport
    if ($null -eq $Zone) {
        $Zone = [MailOps.TestSupport.Dns.DnsZone]::new()
    }

    $server = [MailOps.TestSupport.Dns.DnsTestServer]::new($Zone)
    $server.Start()
}

function New-SpfFixtureDnsServer {
    <#
    The DNS server of SpfFixture.cs: New-SpfFixtureZone served on loopback, SERVFAIL for the TXT
    query of servfail.example, and 300 ms of latency on every answer for slow.example (so that,
    with concurrency, later pipeline rows finish first). Use its .Endpoint as -Server.
    #>
    [CmdletBinding()]
    param()

    $server = New-TestDnsServer -Zone (New-SpfFixtureZone)
    try {
        $server.SetFault('servfail.example', 'TXT', [MailOps.TestSupport.Dns.DnsFault]::ServerFailure)
        # '*' is the all-types key the fixture's null type means. PowerShell would pass $null to a
        # .NET string parameter as '' (a type of its own), so the wildcard is spelled out.
        $server.SetLatency('slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
    }
    catch {
        $server.Dispose()
        throw
    }

    $server
}

function Get-OpenSpfSuite {
    <# tests/Conformance/spf/rfc7208-tests.yml loaded as OpenSpfSuiteTests.cs does: TIMEOUT names answer SERVFAIL. #>
    [CmdletBinding()]
    param()

    Import-MailOpsTestSupport
    $path = [System.IO.Path]::Combine((Get-MailOpsRepositoryRoot), 'tests', 'Conformance', 'spf', 'rfc7208-tests.yml')
    [MailOps.TestSupport.Dns.OpenSpfSuite]::Load($path, [MailOps.TestSupport.Dns.DnsFault]::ServerFailure)
}

function Get-MailOpsLoadProbe {
    <# tests/MailOps.LoadProbe/bin/Release/net10.0/MailOps.LoadProbe.dll (the Debug build when only that exists). #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $root = Get-MailOpsRepositoryRoot
    $release = [System.IO.Path]::Combine($root, 'tests', 'MailOps.LoadProbe', 'bin', 'Release', 'net10.0', 'MailOps.LoadProbe.dll')
    $debug = [System.IO.Path]::Combine($root, 'tests', 'MailOps.LoadProbe', 'bin', 'Debug', 'net10.0', 'MailOps.LoadProbe.dll')
    if (-not [System.IO.File]::Exists($release) -and [System.IO.File]::Exists($debug)) {
        return $debug
    }

    $release
}
