# Mirrors tests/MailOps.PowerShell.Tests/MailMessageTests.cs in Pester 5: Test-MailMessage through
# real pwsh, message files on disk and a real DNS server on loopback, with the zone and message
# files of MailMessageFixture.cs (built below).
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server and for
# RSA.ExportSubjectPublicKeyInfo and SHA256.HashData.

Describe 'Test-MailMessage' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $root = Get-MailOpsRepositoryRoot
        $dkimData = [System.IO.Path]::Combine($root, 'tests', 'Conformance', 'dkim')

        # The RFC 8463 appendix A Ed25519 key (selector brisbane), the RSA key of dkimpy's
        # test.txt (selector test), and a key generated here for contoso.example.
        $ed25519Key = '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='
        $rsaTest = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($dkimData, 'test.txt')).Trim()
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $contosoKey = [System.Convert]::ToBase64String($rsa.ExportSubjectPublicKeyInfo())

        # The zone of MailMessageFixture.cs. Every Add* returns the zone (fluent); $null = discards it.
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddTxt('brisbane._domainkey.football.example.com', [string[]] @("v=DKIM1; k=ed25519; p=$ed25519Key"))
        $null = $zone.AddLongTxt('test._domainkey.football.example.com', $rsaTest)
        $null = $zone.AddTxt('revoked._domainkey.football.example.com', [string[]] @('v=DKIM1; k=rsa; p='))
        $null = $zone.AddTxt('_dmarc.football.example.com', [string[]] @('v=DMARC1; p=reject'))
        $null = $zone.AddLongTxt('s2048._domainkey.contoso.example', "v=DKIM1; k=rsa; p=$contosoKey")
        $null = $zone.AddTxt('contoso.example', [string[]] @('v=spf1 ip4:198.51.100.0/24 -all'))
        $null = $zone.AddTxt('_dmarc.contoso.example', [string[]] @('v=DMARC1; p=reject'))
        $server = New-TestDnsServer -Zone $zone
        $dns = $server.Endpoint

        $crlf = "`r`n"
        $plain = "From: CEO <ceo@contoso.example>${crlf}To: rcpt@receiver.example${crlf}Subject: Quarterly numbers${crlf}" +
            "Date: Sun, 1 Jun 2025 10:00:00 +0000${crlf}Message-ID: <q2@contoso.example>${crlf}${crlf}Hello,${crlf}the numbers are attached.${crlf}"

        # Signs with the published key, d=contoso.example s=s2048, rsa-sha256, relaxed/relaxed
        # (RFC 6376 sections 3.4.2, 3.4.4 and 3.7), independently of the code under test. The
        # header values are already in relaxed form (single spaces, no folding).
        function New-SignedMessage {
            param([string] $Message)
            $split = $Message.IndexOf("$crlf$crlf")
            $headers = $Message.Substring(0, $split) -split "`r`n"
            $body = $Message.Substring($split + 4)
            $canonBody = ((($body -split "`r`n") | ForEach-Object { $_.TrimEnd(' ', "`t") }) -join "`r`n").TrimEnd("`r", "`n") + "`r`n"
            $bh = [System.Convert]::ToBase64String([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::ASCII.GetBytes($canonBody)))
            $signed = @('from', 'to', 'subject', 'date', 'message-id')
            $relaxed = {
                param([string] $Field)
                $colon = $Field.IndexOf(':')
                $Field.Substring(0, $colon).Trim().ToLowerInvariant() + ':' + $Field.Substring($colon + 1).Trim()
            }
            $data = [System.Text.StringBuilder]::new()
            foreach ($name in $signed) {
                $field = @($headers | Where-Object { $_.StartsWith("${name}:", [System.StringComparison]::OrdinalIgnoreCase) })[-1]
                $null = $data.Append((& $relaxed $field)).Append("`r`n")
            }
            $dkim = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=contoso.example; s=s2048; t=1748772000; h=$($signed -join ':'); bh=$bh; b="
            $null = $data.Append((& $relaxed $dkim))
            $signature = $rsa.SignData([System.Text.Encoding]::ASCII.GetBytes($data.ToString()),
                [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $dkim + [System.Convert]::ToBase64String($signature) + "`r`n" + $Message
        }

        # The message files of MailMessageFixture.cs.
        $folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'MailOpsMessagePester-' + [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($folder)
        function Write-MessageFile {
            param([string] $Name, [string] $Text)
            [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder, $Name), $Text)
        }
        function Get-MessagePath {
            param([string] $Name)
            [System.IO.Path]::Combine($folder, $Name)
        }

        $rfc8463 = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($dkimData, 'rfc6376.signed.msg')).Replace("`r`n", "`n").Replace("`n", "`r`n")
        Write-MessageFile 'rfc8463.eml' $rfc8463
        Write-MessageFile 'altered-body.eml' $rfc8463.Replace('We lost the game.', 'We won the game.')
        Write-MessageFile 'no-key.eml' $rfc8463.Replace('q=dns/txt; s=test;', 'q=dns/txt; s=missing;')
        Write-MessageFile 'revoked-key.eml' $rfc8463.Replace('q=dns/txt; s=test;', 'q=dns/txt; s=revoked;')
        Write-MessageFile 'signed-here.eml' (New-SignedMessage $plain)
        Write-MessageFile 'unsigned.eml' ("Return-Path: <bounce@contoso.example>$crlf" + $plain)
        Write-MessageFile 'received.eml' ("Return-Path: <bounce@contoso.example>$crlf" +
            "Received: from out1.contoso.example (out1.contoso.example [198.51.100.25]) by mx.receiver.example with ESMTPS id 4F; Sun, 1 Jun 2025 10:00:01 +0000$crlf" +
            "Authentication-Results: mx.receiver.example; spf=pass smtp.mailfrom=bounce@contoso.example; dkim=none; dmarc=pass header.from=contoso.example$crlf" +
            $plain)
        Write-MessageFile 'two-from.eml' ("From: Evil <evil@attacker.example>$crlf" + $plain)
        Write-MessageFile 'no-date.eml' $plain.Replace("Date: Sun, 1 Jun 2025 10:00:00 +0000$crlf", '')
        Write-MessageFile 'bulk.eml' ("Precedence: bulk$crlf" + $plain)
        Write-MessageFile 'not-a-message.eml' "%PDF-1.7`n1 0 obj`n<< /Type /Catalog >>`nendobj`n"
    }

    AfterAll {
        if ($server) { $server.Dispose() }
        if ($rsa) { $rsa.Dispose() }
        if ($folder -and [System.IO.Directory]::Exists($folder)) { [System.IO.Directory]::Delete($folder, $true) }
    }

    It 'passes both ed25519 and rsa signatures of the RFC 8463 message' {
        $v = @(Test-MailMessage -Path (Get-MessagePath 'rfc8463.eml') -Server $dns -ErrorVariable errs)

        $errs | Should -BeNullOrEmpty
        $v.Count | Should -Be 1
        $v[0].PSObject.TypeNames[0] | Should -Be 'MailOps.Core.Messages.MailMessageVerdict'
        @($v[0].Dkim | ForEach-Object { $_.Algorithm }) | Should -Be @('ed25519-sha256', 'rsa-sha256')
        @($v[0].Dkim | ForEach-Object { [string] $_.Result }) | Should -Be @('Pass', 'Pass')
        @($v[0].Dkim | ForEach-Object { $_.IsAligned }) | Should -Be @($true, $true)
        [string] $v[0].DkimResult | Should -Be 'Pass'
    }

    It 'passes DMARC for the RFC 8463 message and carries its identity' {
        $v = Test-MailMessage -Path (Get-MessagePath 'rfc8463.eml') -Server $dns

        $v.File | Should -Be (Get-MessagePath 'rfc8463.eml')
        $v.From | Should -Be 'joe@football.example.com'
        $v.FromDomain | Should -Be 'football.example.com'
        $v.Subject | Should -Be 'Is dinner ready?'
        $v.MessageId | Should -Be '20030712040037.46341.5F8J@football.example.com'
        [string] $v.DmarcResult | Should -Be 'Pass'
        [string] $v.Dmarc.Policy | Should -Be 'Reject'
    }

    It 'fails an altered body with body hash mismatch and the verdict is Fail' {
        $v = Test-MailMessage -Path (Get-MessagePath 'altered-body.eml') -Server $dns

        @($v.Dkim | ForEach-Object { [string] $_.Result }) | Should -Be @('Fail', 'Fail')
        foreach ($s in $v.Dkim) { $s.Error | Should -BeLike 'body hash mismatch*' }
        [string] $v.DmarcResult | Should -Be 'Fail'
        [string] $v.Verdict | Should -Be 'Fail'
    }

    It 'reports a signature whose key is missing as PermError key not found' {
        $rsaSig = (Test-MailMessage -Path (Get-MessagePath 'no-key.eml') -Server $dns).Dkim | Where-Object Selector -eq 'missing'

        [string] $rsaSig.Result | Should -Be 'PermError'
        $rsaSig.Error | Should -BeLike 'key not found*'
    }

    It 'reports a signature whose key is revoked as PermError key revoked' {
        $rsaSig = (Test-MailMessage -Path (Get-MessagePath 'revoked-key.eml') -Server $dns).Dkim | Where-Object Selector -eq 'revoked'

        [string] $rsaSig.Result | Should -Be 'PermError'
        $rsaSig.Error | Should -BeLike 'key revoked*'
    }

    It 'passes a message signed relaxed/relaxed with a published key, aligned' {
        $v = Test-MailMessage -Path (Get-MessagePath 'signed-here.eml') -Server $dns

        @($v.Dkim).Count | Should -Be 1
        [string] $v.Dkim[0].Result | Should -Be 'Pass'
        $v.Dkim[0].Canonicalization | Should -Be 'relaxed/relaxed'
        $v.Dkim[0].Selector | Should -Be 's2048'
        $v.Dkim[0].IsAligned | Should -BeTrue
        [string] $v.DmarcResult | Should -Be 'Pass'
    }

    It 'checks SPF for the IPAddress given and passes aligned' {
        $v = Test-MailMessage -Path (Get-MessagePath 'unsigned.eml') -IPAddress 198.51.100.7 -Server $dns

        [string] $v.Spf.Result | Should -Be 'Pass'
        $v.Spf.Domain | Should -Be 'contoso.example'
        [string] $v.IPAddress | Should -Be '198.51.100.7'
        $v.SpfAligned | Should -BeTrue
        [string] $v.DmarcResult | Should -Be 'Pass'
    }

    It 'fails DMARC under p=reject for an unsigned message from an unauthorized IP' {
        $v = Test-MailMessage -Path (Get-MessagePath 'unsigned.eml') -IPAddress 192.0.2.55 -Server $dns

        [string] $v.SpfResult | Should -Be 'Fail'
        [string] $v.DmarcResult | Should -Be 'Fail'
        [string] $v.Verdict | Should -Be 'Fail'
        @($v.Findings | ForEach-Object { $_.Code }) | Should -Contain 'MessageDmarcFailed'
    }

    It 'reads the connecting IP from the Received header when no IPAddress is given' {
        $v = Test-MailMessage -Path (Get-MessagePath 'received.eml') -Server $dns

        [string] $v.IPAddress | Should -Be '198.51.100.25'
        $v.HeloName | Should -Be 'out1.contoso.example'
        [string] $v.SpfResult | Should -Be 'Pass'
    }

    It 'parses the Authentication-Results in the message for comparison' {
        $results = @((Test-MailMessage -Path (Get-MessagePath 'received.eml') -Server $dns).AuthenticationResults)

        @($results | ForEach-Object { $_.Method }) | Should -Be @('spf', 'dkim', 'dmarc')
        @($results | ForEach-Object { $_.Result }) | Should -Be @('pass', 'none', 'pass')
        foreach ($r in $results) { $r.AuthServId | Should -Be 'mx.receiver.example' }
        $results[0].PropertyText | Should -Be 'smtp.mailfrom=bounce@contoso.example'
    }

    It 'reports ARC None for a message without ARC headers' {
        $arc = (Test-MailMessage -Path (Get-MessagePath 'rfc8463.eml') -Server $dns).Arc

        [string] $arc.Result | Should -Be 'None'
        $arc.ChainLength | Should -Be 0
    }

    It 'reports <Code> (<Severity>) as a header finding of <File>' -ForEach @(
        @{ File = 'two-from.eml'; Code = 'MessageMultipleFrom'; Severity = 'Error' }
        @{ File = 'no-date.eml'; Code = 'MessageDateMissing'; Severity = 'Error' }
        @{ File = 'bulk.eml'; Code = 'MessageBulkWithoutListUnsubscribe'; Severity = 'Warning' }
    ) {
        $v = Test-MailMessage -Path (Get-MessagePath $File) -Server $dns

        @($v.HeaderFindings).Count | Should -Be 1
        $v.HeaderFindings[0].Code | Should -Be $Code
        [string] $v.HeaderFindings[0].Severity | Should -Be $Severity
        @($v.Findings | ForEach-Object { $_.Code }) | Should -Contain $Code
    }

    It 'writes InvalidMessageFile for a broken file and checks the other files' {
        $paths = @((Get-MessagePath 'rfc8463.eml'), (Get-MessagePath 'not-a-message.eml'), (Get-MessagePath 'signed-here.eml'))
        $out = @(Test-MailMessage -Path $paths -Server $dns -ErrorVariable errs -ErrorAction SilentlyContinue)

        @($out | ForEach-Object { [System.IO.Path]::GetFileName($_.File) }) | Should -Be @('rfc8463.eml', 'signed-here.eml')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidMessageFile,MailOps.Commands.TestMailMessageCommand'
        $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
        $errs[0].TargetObject | Should -Be (Get-MessagePath 'not-a-message.eml')
    }

    It 'writes MessageFileNotFound for a missing file' {
        $out = @(Test-MailMessage -LiteralPath (Get-MessagePath 'nowhere.eml') -Server $dns -ErrorVariable errs -ErrorAction SilentlyContinue)

        $out.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'MessageFileNotFound,MailOps.Commands.TestMailMessageCommand'
        $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
    }

    It 'checks every file a wildcard path matches' {
        $out = @(Test-MailMessage -Path ([System.IO.Path]::Combine($folder, '*-key.eml')) -Server $dns)

        [string[]] $names = @($out | ForEach-Object { [System.IO.Path]::GetFileName($_.File) })
        [System.Array]::Sort($names, [System.StringComparer]::Ordinal)
        $names | Should -Be @('no-key.eml', 'revoked-key.eml')
    }

    It 'binds rows with a FullName column and FileInfo objects by property name' {
        $out = @(
            [pscustomobject]@{ FullName = (Get-MessagePath 'rfc8463.eml') },
            [System.IO.FileInfo]::new((Get-MessagePath 'signed-here.eml')) | Test-MailMessage -Server $dns
        )

        @($out | ForEach-Object { [System.IO.Path]::GetFileName($_.File) }) | Should -Be @('rfc8463.eml', 'signed-here.eml')
    }

    It 'returns $true for a passing and $false for a failing message with -Quiet' {
        $out = @(Test-MailMessage -Path (Get-MessagePath 'rfc8463.eml'), (Get-MessagePath 'altered-body.eml') -Server $dns -Quiet)

        $out | Should -Be @($true, $false)
    }

    It 'shows the key queries and each step with -Verbose' {
        $verbose = @(Test-MailMessage -Path (Get-MessagePath 'signed-here.eml') -Server $dns -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })

        ($verbose | Where-Object { $_ -like '*s2048._domainkey.contoso.example*' }) | Should -Not -BeNullOrEmpty
        ($verbose | Where-Object { $_ -like 'signed-here.eml: dkim d=contoso.example s=s2048*' }) | Should -Not -BeNullOrEmpty
        ($verbose | Where-Object { $_ -like 'signed-here.eml: verdict*' }) | Should -Not -BeNullOrEmpty
    }
}
