package io.msf.shell.internal.console;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.JobListener;

/**
 * Two things of a Gogo session its API leaves out, read from the runtime's private fields: the session's job
 * listener, which has a setter and no getter, and the nested jobs a job keeps, which Gogo adds to and never
 * takes from. The runtime is pinned in the parent pom; NestedCommandsTest and LocalConsoleLoopsTest fail if an
 * upgrade renames either field, and msf then goes on without what they give (the callers say what that costs).
 */
final class GogoJobs {

    /** {@code CommandSessionImpl.jobListener}. */
    private static final ClassValue<Optional<Field>> JOB_LISTENER = fieldNamed("jobListener");
    /** {@code CommandSessionImpl.JobImpl.children}: every job started inside a job, done or not. */
    private static final ClassValue<Optional<Field>> CHILDREN = fieldNamed("children");

    private GogoJobs() {
    }

    /**
     * The session's job listener, null if it has none.
     *
     * @throws ReflectiveOperationException if this Gogo keeps it otherwise
     */
    static JobListener jobListenerOf(CommandSession session) throws ReflectiveOperationException {
        Field field = JOB_LISTENER.get(session.getClass())
                .orElseThrow(() -> new NoSuchFieldException(session.getClass().getName() + ".jobListener"));
        return (JobListener) field.get(session);
    }

    /**
     * Takes a nested job that is done out of its parent's list, where Gogo keeps it with its streams and their
     * buffers until the whole command line ends: each round of a loop, so that a long loop filled the heap.
     * Nothing else of Gogo's reads the list but an interrupt, which has nothing to do for a job that is done.
     *
     * @return whether it was taken out (false: not there, or this Gogo keeps it otherwise)
     */
    static boolean forgetDone(Job job) {
        Job parent = job.parent();
        if (parent == null) {
            return false;
        }
        Optional<Field> field = CHILDREN.get(parent.getClass());
        if (field.isEmpty()) {
            return false;
        }
        try {
            List<?> children = (List<?>) field.get().get(parent);
            synchronized (children) { // as Gogo's own add and interrupt
                return children.remove(job);
            }
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private static ClassValue<Optional<Field>> fieldNamed(String name) {
        return new ClassValue<>() {
            @Override
            protected Optional<Field> computeValue(Class<?> type) {
                try {
                    Field field = type.getDeclaredField(name);
                    field.setAccessible(true);
                    return Optional.of(field);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return Optional.empty();
                }
            }
        };
    }
}
