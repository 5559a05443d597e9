"""What every page shares: the language helper, the number and money filters
(``{% load rouei_format %}``) and the assessment result partials (``ui/_result.html`` and its
parts), used by /assess/, the incident pages, the tasks and the dashboard."""
