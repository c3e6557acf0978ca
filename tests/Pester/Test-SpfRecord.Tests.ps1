# Mirrors tests/MailOps.PowerShell.Tests/TestSpfRecordTests.cs in Pester 5: Test-SpfRecord through
# real pwsh and a real DNS server on loopback (the zone of SpfFixture.cs, see MailOps.TestHelpers.ps1).
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server.
#
# Where the xunit test takes .Single(), these tests check the same three things: no error, one
# output object, then its properties.

Describe 'Test-SpfRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        $server = New-SpfFixtureDnsServer
        $dns = $server.Endpoint
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'Ip authorized through an include passes and names the include' {
        $r = @(Test-SpfRecord -Domain 'contoso.example' -IPAddress '149.72.190.99' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'Pass'
        $r[0].Mechanism | Should -BeExactly 'include:sendgrid.example'
        $r[0].Domain | Should -BeExactly 'contoso.example'
        $r[0].DnsLookupCount | Should -Be 1
    }

    It 'Ip matching only all gets the all qualifier' {
        $r = @(Test-SpfRecord -Domain 'contoso.example' -IPAddress '203.0.113.99' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'SoftFail'
        $r[0].Mechanism | Should -BeExactly '~all'
    }

    It 'Fail carries the expanded exp explanation' {
        $r = @(Test-SpfRecord -Domain 'strict.example' -IPAddress '203.0.113.9' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'Fail'
        $r[0].Explanation | Should -BeExactly '203.0.113.9 may not send mail for strict.example'
    }

    It 'Quiet returns true for pass' {
        $r = @(Test-SpfRecord -Domain 'contoso.example' -IP '198.51.100.7' -Quiet -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0] | Should -BeOfType ([bool])
        $r[0] | Should -BeTrue
    }

    It 'Quiet returns false for anything but pass' {
        $r = @(Test-SpfRecord -Domain 'strict.example' -IP '198.51.100.7' -Quiet -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0] | Should -BeOfType ([bool])
        $r[0] | Should -BeFalse
    }

    It 'Record parameter evaluates unpublished text instead of dns' {
        $r = @(Test-SpfRecord -Domain 'contoso.example' -IPAddress '203.0.113.7' -Record 'v=spf1 ip4:203.0.113.0/24 include:sendgrid.example -all' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'Pass'
        $r[0].Mechanism | Should -BeExactly 'ip4:203.0.113.0/24'
    }

    It 'Record parameter still resolves includes through dns' {
        $r = @(Test-SpfRecord -Domain 'contoso.example' -IPAddress '149.72.1.1' -Record 'v=spf1 include:sendgrid.example -all' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'Pass'
    }

    It 'Record that is not spf is an InvalidSpfRecord error' {
        $r = @(Test-SpfRecord -Domain 'contoso.example' -IPAddress '203.0.113.7' -Record 'ip4:203.0.113.0/24 -all' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidSpfRecord*'
        $err[0].CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
        $r | Should -HaveCount 0
    }

    It 'Domain defaults to the sender domain' {
        $r = @(Test-SpfRecord -MailFrom 'invoices@contoso.example' -IPAddress '149.72.3.4' -Helo 'mail.contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Domain | Should -BeExactly 'contoso.example'
        $r[0].Result | Should -BeExactly 'Pass'
        $r[0].Sender | Should -BeExactly 'invoices@contoso.example'
    }

    It 'Null sender is checked against the helo domain' {
        $r = @(Test-SpfRecord -Sender '' -HeloName 'helo.example' -IPAddress '203.0.113.5' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Domain | Should -BeExactly 'helo.example'
        $r[0].Result | Should -BeExactly 'Pass'
    }

    It 'Without domain, sender or helo the error is DomainNotSpecified' {
        $null = Test-SpfRecord -IPAddress '203.0.113.5' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'DomainNotSpecified*'
        $err[0].CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
    }

    It 'Two published records are a permerror' {
        $r = @(Test-SpfRecord -Domain 'twice.example' -IPAddress '192.0.2.10' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'PermError'
    }

    It 'Servfail on the record lookup is a temperror' {
        $r = @(Test-SpfRecord -Domain 'servfail.example' -IPAddress '192.0.2.10' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'TempError'
    }

    It 'Verbose shows each dns query and the evaluation steps' {
        $all = @(Test-SpfRecord -Domain 'contoso.example' -IPAddress '149.72.190.99' -Server $dns -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1)
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
        $output = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $err | Should -HaveCount 0
        $dnsLines = @($verbose | Where-Object { $_.StartsWith('DNS TXT contoso.example', [System.StringComparison]::Ordinal) })
        $dnsLines.Count | Should -BeGreaterThan 0 -Because "a verbose line should show the TXT query; got:`n$($verbose -join "`n")"
        $stepLines = @($verbose | Where-Object { $_.Contains('include:sendgrid.example') -and $_.StartsWith('SPF contoso.example 149.72.190.99', [System.StringComparison]::Ordinal) })
        $stepLines.Count | Should -BeGreaterThan 0 -Because "a verbose line should show the include step; got:`n$($verbose -join "`n")"
        $output | Should -Not -BeNullOrEmpty
        @($output[0].Trace).Count | Should -BeGreaterThan 0
    }

    It 'Pipeline rows bind by property name and come out in input order' {
        # slow.example answers 300 ms late, so with concurrency the later rows finish first.
        $rows = @(
            'Domain,IPAddress'
            'slow.example,192.0.2.1'
            'contoso.example,149.72.190.99'
            'strict.example,192.0.2.1'
            'contoso.example,203.0.113.1'
        ) | ConvertFrom-Csv

        $r = @($rows | Test-SpfRecord -Server $dns -ThrottleLimit 4 -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Domain | Should -BeExactly @('slow.example', 'contoso.example', 'strict.example', 'contoso.example')
        $r.Result | Should -BeExactly @('Pass', 'Pass', 'Pass', 'SoftFail')
    }

    It 'A bad row gets an error and the other rows still run' {
        $rows = @(
            'Domain,IPAddress'
            'contoso.example,149.72.190.99'
            'not a domain!,149.72.190.99'
            'contoso.example,999.1.1.1'
            'strict.example,192.0.2.1'
        ) | ConvertFrom-Csv

        # A terminating error would fail the test here, as Assert.Null(r.Terminating) does.
        $r = @($rows | Test-SpfRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r.Result | Should -BeExactly @('Pass', 'Pass')
        $err | Should -HaveCount 2
        $domainErrors = @($err | Where-Object { $_.FullyQualifiedErrorId -clike 'InvalidDomainName*' })
        $domainErrors | Should -HaveCount 1
        $domainErrors[0].TargetObject | Should -BeExactly 'not a domain!'
        $domainErrors[0].CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
    }

    It 'Get-SpfRecord output pipes into Test-SpfRecord' {
        $r = @(Get-SpfRecord contoso.example -Server $dns -ErrorVariable getErr -ErrorAction SilentlyContinue |
                Test-SpfRecord -IPAddress '198.51.100.25' -Server $dns -ErrorVariable testErr -ErrorAction SilentlyContinue)

        $getErr | Should -HaveCount 0
        $testErr | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'Pass'
        $r[0].Domain | Should -BeExactly 'contoso.example'
    }

    It 'Unparseable server is an InvalidDnsServer error' {
        $null = Test-SpfRecord -Domain 'contoso.example' -IPAddress '192.0.2.1' -Server '[::1' -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDnsServer*'
        $err[0].TargetObject | Should -BeExactly '[::1'
    }

    It 'IPv6 client is checked against ip6 mechanisms' {
        $r = @(Test-SpfRecord -Domain 'contoso.example' -IPAddress '2001:db8::1' -Record 'v=spf1 ip6:2001:db8::/32 -all' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'Pass'
    }

    It 'Piped SpfRecord of a domain with two records is a permerror as receivers see it' {
        $r = @(Get-SpfRecord twice.example -Server $dns -ErrorVariable getErr -ErrorAction SilentlyContinue |
                Test-SpfRecord -IPAddress '192.0.2.10' -Server $dns -ErrorVariable testErr -ErrorAction SilentlyContinue)

        $getErr | Should -HaveCount 0
        $testErr | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'PermError'
    }

    It 'Csv row with a Record column evaluates that record' {
        $rows = @(
            'Domain,IPAddress,Record'
            'strict.example,203.0.113.50,v=spf1 ip4:203.0.113.0/24 -all'
        ) | ConvertFrom-Csv

        $r = @($rows | Test-SpfRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Result | Should -BeExactly 'Pass'
    }

    It 'Stopping the pipeline like Ctrl+C ends a check waiting on dns' {
        $hangZone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $hangZone.AddTxt('hang.example', [string[]] @('v=spf1 -all'))
        $hangServer = New-TestDnsServer -Zone $hangZone
        # A second runspace (core commands only, like the hosted tests' runspace), driven the way
        # a host handles Ctrl+C: BeginInvoke, then Stop.
        $ps = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        try {
            $hangServer.Fault = [MailOps.TestSupport.Dns.DnsFault]::Timeout
            # Import first, on its own: Stop must hit Test-SpfRecord alone (in a batch of several
            # statements the stop would be written to the error stream instead of thrown).
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-MailOpsModuleManifest)).AddParameter('ErrorAction', 'Stop').Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddCommand('Test-SpfRecord').AddParameter('Domain', 'hang.example').AddParameter('IPAddress', '192.0.2.1').AddParameter('Server', [string[]] @($hangServer.Endpoint)).AddParameter('TimeoutSec', 60)
            $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
            $pending = $ps.BeginInvoke()

            # Wait (bounded) until the query is on the wire, so Stop hits a check in flight.
            $deadline = [System.DateTime]::UtcNow.AddSeconds(30)
            while ($hangServer.QueryCount -eq 0 -and -not $pending.IsCompleted -and [System.DateTime]::UtcNow -lt $deadline) {
                [System.Threading.Thread]::Sleep(20)
            }
            $hangServer.QueryCount | Should -BeGreaterThan 0 -Because "the check never reached the DNS server (state $($ps.InvocationStateInfo.State): $($ps.InvocationStateInfo.Reason))"
            $ps.Stop()

            # EndInvoke throws PipelineStoppedException; PowerShell may wrap it in a
            # MethodInvocationException, so the exception chain is searched for it.
            $stopException = $null
            try {
                $null = $ps.EndInvoke($pending)
            }
            catch {
                $stopException = $_.Exception
            }
            $stopwatch.Stop()

            $chain = @(for ($e = $stopException; $null -ne $e; $e = $e.InnerException) { $e })
            @($chain | Where-Object { $_.GetType() -eq [System.Management.Automation.PipelineStoppedException] }).Count | Should -BeGreaterThan 0 -Because "EndInvoke should throw PipelineStoppedException; got: $($chain | ForEach-Object { $_.GetType().FullName + ': ' + $_.Message })"
            $stopwatch.Elapsed | Should -BeLessThan ([System.TimeSpan]::FromSeconds(30)) -Because "Stop did not end the wait: $($stopwatch.Elapsed)"
            $ps.InvocationStateInfo.State | Should -BeExactly 'Stopped'
        }
        finally {
            $ps.Dispose()
            $hangServer.Dispose()
        }
    }
}
