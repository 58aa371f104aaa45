namespace Gantry.Backends.Local;

/// <summary>How the local backend keeps a job away from the gateway's files and from other users' jobs.</summary>
public enum LocalIsolation
{
    /// <summary>Jobs run as the gateway's own OS user and can read everything it can. Only for a single-user laptop.</summary>
    None,

    /// <summary>
    /// The gateway runs as root: each Gantry user's jobs run under their own uid (JobUidBase + the user's number),
    /// dropped with setpriv just for the job's command; the shell that writes the job's files stays root.
    /// </summary>
    Users,

    /// <summary>The job runs in a bubblewrap sandbox where the data dir and the other jobs' directories are empty tmpfs.</summary>
    Bubblewrap,

    /// <summary>Jobs would run as the gateway's OS user, so only admins' jobs may run here.</summary>
    AdminsOnly,
}
