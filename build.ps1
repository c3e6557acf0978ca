<#
.SYNOPSIS
    Builds MailOps and stages the importable module in out/MailOps; -Test also runs the tests.
.DESCRIPTION
    A thin wrapper around the same steps CI runs: `dotnet build` stages the module, `dotnet test`
    runs the xunit projects (core engine and hosted PowerShell), and when Pester 5 is installed
    the Pester files under tests/Pester run against the staged module too.
.EXAMPLE
    ./build.ps1
    Import-Module ./out/MailOps/MailOps.psd1
.EXAMPLE
    ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Test
)

$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    dotnet build MailOps.sln -c $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed ($LASTEXITCODE)." }

    if ($Test) {
        dotnet test MailOps.sln -c $Configuration --no-build
        if ($LASTEXITCODE -ne 0) { throw "dotnet test failed ($LASTEXITCODE)." }

        $pester = Get-Module -ListAvailable -Name Pester | Where-Object Version -ge '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1
        if ($pester) {
            Import-Module $pester -Force
            $config = New-PesterConfiguration
            $config.Run.Path = Join-Path $PSScriptRoot 'tests/Pester'
            $config.Run.PassThru = $true
            $config.Output.Verbosity = 'Detailed'
            $config.TestResult.Enabled = $false
            $result = Invoke-Pester -Configuration $config
            # Result is 'Failed' also when a file or block failed outside an It (discovery, BeforeAll).
            if ($result.Result -ne 'Passed') { throw "Pester: $($result.FailedCount) test(s), $($result.FailedBlocksCount) block(s) and $($result.FailedContainersCount) file(s) failed." }
        }
        else {
            Write-Warning 'Pester 5 is not installed: tests/Pester were not run (Install-Module Pester -MinimumVersion 5.0).'
        }
    }
}
finally {
    Pop-Location
}
