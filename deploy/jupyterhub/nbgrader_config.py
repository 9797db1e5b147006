# nbgrader settings every user of the hub shares: the course id and the
# exchange. Install as /etc/jupyter/nbgrader_config.py (root-owned, readable
# by all), which nbgrader reads before any user's own file.

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nnkit"
c.Exchange.course_id = "nnkit"
c.Exchange.root = "/srv/nbgrader/exchange"  # 777 + sticky bit (chmod 1777)
