/**
 * Writes each failed remediation attempt into the remediation log. The event is published with
 * Publish Immediately by SyncDoctorRemediationLog.recordFailure, so it arrives although the
 * attempt's own transaction was rolled back; this runs in a transaction of its own.
 */
trigger SyncDoctorRemediationFailures on Sync_Doctor_Remediation_Failure__e(after insert) {
  SyncDoctorRemediationLog.insertFailures(Trigger.new);
}
